"""Reads go to a replica only inside reading_replica(); writes always to the primary."""

from core.db import ReplicaRouter, reading_replica


def test_router(settings) -> None:
    settings.DATABASES = {**settings.DATABASES, "replica0": settings.DATABASES["default"]}
    router = ReplicaRouter()
    assert router.db_for_read(None) is None
    with reading_replica():
        assert router.db_for_read(None) == "replica0"
        assert router.db_for_write(None) == "default"
    assert router.db_for_read(None) is None
    assert router.allow_migrate("replica0", "org") is False and router.allow_migrate("default", "org") is True
