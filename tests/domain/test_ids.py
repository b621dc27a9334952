from __future__ import annotations

import time
import uuid

from moderator_app.domain.ids import id_time_ms, new_id


def test_ids_are_version_7_uuids_that_sort_in_the_order_they_were_made() -> None:
    made = [new_id() for _ in range(5000)]
    assert len(set(made)) == len(made)
    assert made == sorted(made)
    for gid in made[:50]:
        parsed = uuid.UUID(gid)
        assert parsed.version == 7
        assert parsed.variant == uuid.RFC_4122


def test_an_id_carries_the_millisecond_it_was_made_in() -> None:
    before = int(time.time() * 1000)
    gid = new_id()
    after = int(time.time() * 1000)
    assert before <= id_time_ms(gid) <= after


def test_ids_made_for_past_rows_carry_their_time_and_sort_in_row_order() -> None:
    from moderator_app.domain.ids import ids_made_at

    later = new_id()  # the process clock is ahead of the rows' times; it must not drag them forward
    times = [1_700_000_000_000, 1_700_000_000_000, 1_699_999_999_000, 1_700_000_000_005]
    made = list(ids_made_at(times))
    assert [id_time_ms(g) for g in made] == [times[0], times[0], times[0], times[3]]
    assert made == sorted(made) and len(set(made)) == 4 and all(uuid.UUID(g).version == 7 for g in made)
    assert new_id() > later > made[-1]
