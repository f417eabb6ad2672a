"""Background tasks of the member registry (run by ``gonghui worker``, started by ``gonghui serve``)."""

from __future__ import annotations

from django.tasks import task


@task
def run_import(job_id: int) -> str:
    """Commit a checked member import (one transaction, progress on the job page)."""
    from gonghui.members.services import execute_import

    return execute_import(job_id).status
