"""The public API: every name in ``leaderboard.__all__`` exists, and every public module-level name is exported."""

import leaderboard


def test_all_names_exist():
    for name in leaderboard.__all__:
        assert hasattr(leaderboard, name), name


def test_all_is_complete():
    public = {name for name in vars(leaderboard) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(leaderboard, name)).__name__ == "module"}
    assert public - modules == set(leaderboard.__all__) - {"__version__"}
