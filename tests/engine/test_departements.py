"""The neighbouring départements table shipped with the engine."""

from matching.engine.departements import DEPARTEMENTS, NEIGHBOURS, neighbour_matrix

OVERSEAS = ("971", "972", "973", "974", "976")


def test_it_lists_all_101_departements():
    metropolitan = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]
    assert sorted(DEPARTEMENTS) == sorted(metropolitan + list(OVERSEAS))
    assert len(DEPARTEMENTS) == 101


def test_it_is_symmetric():
    for code, neighbours in NEIGHBOURS.items():
        for other in neighbours:
            assert code in NEIGHBOURS[other], (code, other)


def test_no_departement_neighbours_itself():
    assert all(code not in neighbours for code, neighbours in NEIGHBOURS.items())


def test_neighbours_are_known_codes_listed_once():
    for neighbours in NEIGHBOURS.values():
        assert set(neighbours) <= set(DEPARTEMENTS)
        assert len(set(neighbours)) == len(neighbours)


def test_every_metropolitan_departement_has_a_neighbour():
    assert all(NEIGHBOURS[code] for code in DEPARTEMENTS if code not in OVERSEAS)


def test_overseas_departements_have_no_neighbour():
    assert all(NEIGHBOURS[code] == () for code in OVERSEAS)


def test_corsica_only_touches_itself():
    assert NEIGHBOURS["2A"] == ("2B",)
    assert NEIGHBOURS["2B"] == ("2A",)


def test_hauts_de_france_neighbours_are_exact():
    assert set(NEIGHBOURS["02"]) == {"08", "51", "59", "60", "77", "80"}
    assert set(NEIGHBOURS["59"]) == {"02", "62", "80"}
    assert set(NEIGHBOURS["60"]) == {"02", "27", "76", "77", "80", "95"}
    assert set(NEIGHBOURS["62"]) == {"59", "80"}
    assert set(NEIGHBOURS["80"]) == {"02", "59", "60", "62", "76"}


def test_the_matrix_mirrors_the_table():
    matrix = neighbour_matrix()
    assert matrix.sum() == sum(len(n) for n in NEIGHBOURS.values())
    assert (matrix == matrix.T).all()
    assert not matrix.flags.writeable
