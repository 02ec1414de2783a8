"""The cases module's places in the navigation and on home pages."""
