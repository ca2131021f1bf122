"""The warm engine's memory rule, without a kernel (moved from the slow engine tests: it starts none)."""

from __future__ import annotations

from councilpack import engine


def test_a_kernel_over_the_limit_when_fresh_is_kept() -> None:
    """Replacing it would not help: only the report count recycles it."""

    class Sized:
        def __init__(self, size: int | None) -> None:
            self.size = size

        def resident_bytes(self) -> int | None:
            return self.size

    warm = engine.WarmEngine(recycle_above=100)
    try:
        warm.warm_bytes = 50
        assert warm._too_big(Sized(101))  # type: ignore[arg-type]
        assert not warm._too_big(Sized(100))  # type: ignore[arg-type]
        assert not warm._too_big(Sized(None))  # type: ignore[arg-type]  # not measurable
        warm.warm_bytes = 120
        assert not warm._too_big(Sized(150))  # type: ignore[arg-type]
        warm.recycle_above = None
        warm.warm_bytes = 50
        assert not warm._too_big(Sized(10**12))  # type: ignore[arg-type]
    finally:
        warm.close()
