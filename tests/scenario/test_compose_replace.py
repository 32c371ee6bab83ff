from sim.scenario import load_scenario


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


PARENT = """
name: parent
issues: {k: {}}
actors:
  a: {economy: 1, position: {k: 0.5}, salience: {k: 1},
      resolve: {triangular: [0.1, 0.2, 0.3], note: parent}}
  b: {economy: 1, position: {k: 0.1}, salience: {k: 1}}
levers:
  - {type: deployment, name: withdrawal, actor: a, to: 0.5}
  - {type: talks, participants: [a, b]}
"""


def test_a_number_mapping_replaces_the_parents_whole(tmp_path):
    write(tmp_path, "parent.yaml", PARENT)
    child = write(
        tmp_path,
        "child.yaml",
        "extends: parent.yaml\nname: child\nactors:\n  a: {resolve: {uniform: [0.4, 0.6]}}\n",
    )
    resolve = load_scenario(child).actors["a"].resolve
    assert resolve.uniform == (0.4, 0.6) and resolve.triangular is None and resolve.note is None


def test_a_named_lever_replaces_the_parents_in_place(tmp_path):
    write(tmp_path, "parent.yaml", PARENT)
    child = write(
        tmp_path,
        "child.yaml",
        "extends: parent.yaml\nname: child\nlevers:\n"
        "  - {type: deployment, name: withdrawal, actor: a, to: 0.9}\n"
        "  - {type: pressure, sender: a, target: b}\n",
    )
    levers = load_scenario(child).levers
    assert [lv.type for lv in levers] == ["deployment", "talks", "pressure"]
    assert levers[0].to.value == 0.9


def test_errors_in_a_replacing_lever_point_at_the_child(tmp_path):
    import pytest

    from sim.errors import ScenarioError

    write(tmp_path, "parent.yaml", PARENT)
    child = write(
        tmp_path,
        "child.yaml",
        "extends: parent.yaml\nname: child\nlevers:\n"
        "  - {type: deployment, name: withdrawal, actor: zz, to: 0.9}\n",
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(child)
    (problem,) = info.value.problems
    assert problem.file.endswith("child.yaml") and problem.line == 4
    assert problem.path == "levers.0.actor"
