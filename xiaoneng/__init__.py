"""The xiaoneng project: settings, URLs and the Celery application."""

from xiaoneng.celery import app as celery_app

__all__ = ["celery_app"]
