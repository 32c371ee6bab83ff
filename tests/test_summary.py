import numpy as np
import pandas as pd

from sim.summary import summary_frame


def test_the_summary_shows_headline_outcomes_and_victory_shares_including_none():
    outcomes = pd.DataFrame(
        {
            "replication": [0, 1, 2, 3],
            "settled": [True, False, False, False],
            "territory.gov": [0.2, 0.4, 0.6, 0.8],
            "victory": ["none", "none", "none", "gov"],
            "stress.patron": [1.0, 2.0, 3.0, 4.0],
        }
    )
    frame = summary_frame(outcomes).set_index("outcome")
    assert frame.loc["settled", "mean"] == 0.25
    assert frame.loc["territory.gov", "mean"] == 0.5
    assert frame.loc["victory.none", "mean"] == 0.75 and frame.loc["victory.gov", "mean"] == 0.25
    assert "stress.patron" not in frame.index  # (not a headline outcome)
    assert np.isnan(frame.loc["settled", "p5"])
