"""Dask distributed: the batch's tasks on a Dask cluster, one warm kernel per worker.

``councilpack batch FILE --executor dask --scheduler tcp://HOST:8786`` sends
each (council, report) task to a running Dask scheduler; without
``--scheduler`` a :class:`~distributed.LocalCluster` of ``--jobs`` single-thread
worker processes is started for the run and stopped after it. The tasks, the
isolation boundary (:func:`councilpack.batch.isolated`) and the manifest are the
same as with the local process pool.

Each worker gets a :class:`WarmKernelPlugin`: the chart bundle and the HTML
exporter are built once, and a warm kernel (:class:`councilpack.engine.WarmEngine`)
is started with the batch's data folders open, reused for every report the
worker runs and stopped when the worker closes. Workers write the reports
straight into the output folder, so on a real cluster the output folder, the
data folder and the project folder must be the same paths on every worker (a
shared file system), and every worker needs councilpack installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from distributed import Client, LocalCluster, as_completed
from distributed.diagnostics.plugin import WorkerPlugin

from councilpack import engine, export
from councilpack.runner import ReportOutcome, ReportTask
from councilpack.status import ReportError


class WarmKernelPlugin(WorkerPlugin):
    """Gives a Dask worker the chart bundle, the exporter and one warm kernel.

    Parameters
    ----------
    data_dirs
        Data folders the kernel opens when it starts.
    reports
        Reports whose imports the kernel runs when it starts.
    warm
        ``False`` keeps the cold engine (a fresh kernel per report).
    """

    name = "councilpack-warm-kernel"

    def __init__(self, data_dirs: list[str], reports: list[str], warm: bool = True) -> None:
        self.data_dirs = list(data_dirs)
        self.reports = list(reports)
        self.warm = warm
        self.engine: engine.WarmEngine | None = None

    def setup(self, worker: Any) -> None:
        """Build the bundle and exporter; start the kernel in the background."""
        export.vega_bundle()
        export._exporter()
        if self.warm:
            self.engine = engine.WarmEngine(self.data_dirs, self.reports, prestart=True)
            engine.install(self.engine)

    def teardown(self, worker: Any) -> None:
        """Stop the worker's kernel."""
        if self.engine is not None:
            engine.install(None)
            self.engine.close()
            self.engine = None


class DaskExecutor:
    """Runs tasks on a Dask cluster: a running scheduler, or a LocalCluster for the run.

    Parameters
    ----------
    jobs
        Workers of the LocalCluster (ignored with ``scheduler``).
    scheduler
        Address of a running scheduler (``tcp://host:8786``); empty starts a
        LocalCluster of ``jobs`` processes with one thread each.
    warm
        One warm kernel per worker (the default).
    """

    def __init__(self, jobs: int = 1, *, scheduler: str = "", warm: bool = True) -> None:
        self.jobs = jobs
        self.scheduler = scheduler
        self.warm = warm

    def _client(self) -> tuple[Client, LocalCluster | None]:
        if self.scheduler:
            return Client(self.scheduler), None
        cluster = LocalCluster(
            n_workers=self.jobs,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        return Client(cluster), cluster

    def run(
        self,
        function: Any,
        tasks: list[ReportTask],
        out: Path,
    ) -> Iterator[ReportOutcome]:
        """Submit every task to the cluster and yield outcomes as workers finish them."""
        if not self.scheduler:
            export.prepare_bundle()  # a LocalCluster's workers read this machine's cache
        client, cluster = self._client()
        try:
            data_dirs = list(dict.fromkeys(task.data_dir for task in tasks))
            reports = list(dict.fromkeys(task.report for task in tasks))
            client.register_plugin(WarmKernelPlugin(data_dirs, reports, self.warm))
            futures = {client.submit(function, task, out, pure=False): task for task in tasks}
            for future in as_completed(futures):
                task = futures[future]
                if future.status == "finished":
                    yield future.result()
                    continue
                # The worker died (Dask retried it on others) or the task could not run.
                error = future.exception()
                yield ReportOutcome.failure(
                    task, 0.0, ReportError("worker", type(error).__name__, str(error))
                )
        finally:
            if cluster is None:
                # A shared cluster outlives the run: stop the kernels this run started.
                client.unregister_worker_plugin(WarmKernelPlugin.name)
            client.close()
            if cluster is not None:
                cluster.close()


__all__ = ["DaskExecutor", "WarmKernelPlugin"]
