import numpy as np

from sim.model import costs


def test_upkeep_is_a_fraction_of_the_economy():
    np.testing.assert_allclose(costs.upkeep(np.array([10.0]), np.array([0.01]), np.array([2.0])),
                               [0.05])


def test_battle_losses_split_by_force_within_the_side():
    sides = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    out = costs.battle_losses(np.array([0.1, 0.0]), np.array([30.0, 10.0, 50.0]), sides, 2.0)
    np.testing.assert_allclose(out, [0.15, 0.05, 0.0])


def test_civilian_harm_scales_with_intensity_and_safe_zones():
    assert costs.civilian_harm(np.array([50.0, 50.0]), 100.0, 1000.0, 1.0) == 1000.0
    assert costs.civilian_harm(np.array([25.0, 25.0]), 100.0, 1000.0, 0.5) == 250.0
    assert costs.civilian_harm(np.array([1.0]), 0.0, 1000.0, 1.0) == 0.0


def test_civilian_harm_of_a_batch_equals_each_run_s():
    strength = np.array([[50.0, 50.0], [25.0, 12.5], [1.0, 0.0]])
    strength0, harm, factor = np.array([100.0, 80.0, 0.0]), np.array([1e3, 7.0, 1e3]), \
        np.array([1.0, 0.5, 1.0])
    expected = [costs.civilian_harm(s, s0, h, f)
                for s, s0, h, f in zip(strength, strength0, harm, factor, strict=True)]
    assert costs.civilian_harm_each(strength, strength0, harm, factor).tolist() == expected


def test_side_stake_of_a_batch_equals_each_run_s():
    sides = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    force = np.array([[0.1, 0.2, 0.3, 5.0, 1.0], [3.0, 0.0, 1e-3, 0.0, 2.0]])
    stake = costs.side_stake(force, sides)
    for r in range(len(force)):
        np.testing.assert_array_equal(stake[r], costs.side_stake(force[r], sides))
