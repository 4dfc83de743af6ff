"""CSV exports: a file a French spreadsheet opens as is, safe to open, with the filters applied."""

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import Organisation
from matching.models import Need, Offer, Proposal
from missions.models import Answer, HoursEntry, Mission, Review
from observatory import definitions
from observatory.exports import csv_response
from observatory.scope import Selection
from tests.factories import (
    MembershipFactory,
    NeedFactory,
    OfferFactory,
    OrganisationFactory,
    UserFactory,
)


def download(response):
    """The whole body of a streamed response, as bytes."""
    return b"".join(response.streaming_content)


def read_rows(body):
    """The rows of a downloaded file, read back the way a spreadsheet does."""
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))


# The writer on its own


def test_it_starts_with_a_bom_and_separates_cells_with_semicolons():
    response = csv_response("essai.csv", ["Nom", "Heures"], [("Atelier", 3)])
    body = download(response)
    assert body == "\ufeffNom;Heures\r\nAtelier;3\r\n".encode()


def test_it_is_an_attachment_named_after_its_file():
    response = csv_response("besoins_2026-01-01_2026-03-31_59.csv", ["Nom"], [])
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="besoins_2026-01-01_2026-03-31_59.csv"'
    )


def test_it_writes_numbers_with_a_decimal_comma():
    rows = [(Decimal("12.50"), 12.5, 0.1, 1e-7, -3.25, Decimal("1E+2"), 42, 5.0, 1e16)]
    assert read_rows(download(csv_response("n.csv", ["a"] * 9, rows)))[1] == [
        "12,50", "12,5", "0,1", "0,0000001", "-3,25", "100", "42", "5", "10000000000000000",
    ]  # fmt: skip


def test_it_writes_dates_in_iso_and_times_in_local_time():
    """Date-times are shown in Paris time: 13:05 UTC in summer is 15:05 in France."""
    moment = datetime(2026, 7, 14, 13, 5, 59, tzinfo=ZoneInfo("UTC"))
    rows = [(date(2026, 3, 31), moment, True, False, None)]
    assert read_rows(download(csv_response("d.csv", ["a"] * 5, rows)))[1] == [
        "2026-03-31", "2026-07-14 15:05", "oui", "non", "",
    ]  # fmt: skip


def test_it_quotes_semicolons_quotes_and_line_breaks_so_each_cell_stays_whole():
    tricky = ("Lille; Roubaix", 'Le "Jardin"', "ligne 1\nligne 2", "a\r\nb")
    body = download(csv_response("e.csv", ["a", "b", "c", "d"], [tricky]))
    assert b'"Lille; Roubaix";"Le ""Jardin""";"ligne 1\nligne 2"' in body
    rows = read_rows(body)
    assert len(rows) == 2
    assert rows[1] == list(tricky)


def test_it_neutralises_cells_a_spreadsheet_would_run_as_formulas():
    """OWASP's list: =, +, -, @, tab and carriage return at the start of a cell."""
    formulas = ("=1+1", "+33 3 20", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd", '=HYPERLINK("x")')
    body = download(csv_response("f.csv", ["a"] * len(formulas), [formulas]))
    assert read_rows(body)[1] == ["'" + text for text in formulas]


def test_it_leaves_ordinary_text_and_negative_numbers_alone():
    rows = [("Aide à la paie", "Réunion = 2 h", "a-b", -4, Decimal("-1.5"))]
    assert read_rows(download(csv_response("g.csv", ["a"] * 5, rows)))[1] == [
        "Aide à la paie", "Réunion = 2 h", "a-b", "-4", "-1,5",
    ]  # fmt: skip


def test_it_writes_lazy_translations_and_choices_as_their_text():
    rows = [(gettext_lazy("Publié"), Need.Status.PUBLISHED, gettext_lazy("=SOMME(A1)"))]
    assert read_rows(download(csv_response("t.csv", ["a"] * 3, rows)))[1] == [
        "Publié", "published", "'=SOMME(A1)",
    ]  # fmt: skip


def test_it_neutralises_formulas_in_the_header_too():
    assert read_rows(download(csv_response("h.csv", ["=titre"], [])))[0] == ["'=titre"]


def test_it_reads_rows_only_as_the_file_is_sent():
    """Nothing is read before the download starts: rows can be a lazy database cursor."""
    taken = []

    def rows():
        for n in range(3):
            taken.append(n)
            yield (n,)

    response = csv_response("l.csv", ["n"], rows())
    assert taken == []
    assert read_rows(download(response))[1:] == [["0"], ["1"], ["2"]]
    assert taken == [0, 1, 2]


# The four tables, on a small fixed data set: the first quarter of 2026 in the region

PERIOD = {"start": "2026-01-01", "end": "2026-03-31"}
PARIS = ZoneInfo("Europe/Paris")
Kind = Organisation.Kind


def at(*moment):
    """A moment in Paris time."""
    return datetime(*moment, tzinfo=PARIS)


def need(organisation, title, published_at, status="published"):
    return NeedFactory(
        organisation=organisation, title=title, published_at=published_at, status=status,
        wished_start=date(2026, 2, 1), wished_end=date(2026, 6, 30),
    )  # fmt: skip


def offer(volunteer, company, created, departements, skills=None, **fields):
    made = OfferFactory(
        volunteer=volunteer, organisation=company, departements=departements,
        skills=skills or [("fonds-europeens", "confirmed")], available_from=date(2026, 1, 5),
        **fields,
    )  # fmt: skip
    Offer.objects.filter(pk=made.pk).update(created_at=created)
    return made


def proposal(need, offer, created, **fields):
    fields.setdefault("score", 5)
    made = Proposal.objects.create(need=need, offer=offer, **fields)
    Proposal.objects.filter(pk=made.pk).update(created_at=created)
    return made


def mission(proposal, started, entries=(), **fields):
    """A mission with its hours: (minutes, status) given on March 12th, or (minutes, status,
    day)."""
    made = Mission.objects.create(
        proposal=proposal, need=proposal.need, offer=proposal.offer,
        volunteer=proposal.offer.volunteer,
    )  # fmt: skip
    Mission.objects.filter(pk=made.pk).update(started_at=started, **fields)
    for minutes, status, *day in entries:
        HoursEntry.objects.create(
            mission=made, day=day[0] if day else date(2026, 3, 12), minutes=minutes,
            status=status, description="RDV",
        )  # fmt: skip
    return made


@pytest.fixture
def world(db):
    """Three associations (Aisne, Nord, Paris), a volunteer of a Lille bank with a phone and
    an e-mail, and needs, offers, proposals and missions inside and outside the period."""
    aisne = OrganisationFactory(name="Les Jardins de Laon", departement="02", postcode="02000")
    nord = OrganisationFactory(name="Nord Solidaire", departement="59", postcode="59000")
    paris = OrganisationFactory(name="Paris Entraide", departement="75", postcode="75001")
    bank = OrganisationFactory(
        kind=Kind.COMPANY, name="Banque du Nord", departement="59", postcode="59000"
    )
    volunteer = UserFactory(
        first_name="Jeanne", last_name="Vandamme", email="jeanne.vandamme@banque.example",
        phone="06 12 34 56 78",
    )  # fmt: skip
    needs = {
        "fse": need(aisne, "Montage d'un dossier FSE+", at(2026, 1, 15, 10, 0)),
        "nord": need(nord, 'Paie; contrats "aidés"', at(2026, 2, 20, 9, 0), "matched"),
        # The period's last evening in Paris (21:30 UTC): still March 31st there.
        "formula": need(aisne, '=HYPERLINK("http://x")', at(2026, 3, 31, 23, 30), "completed"),
        "before": need(aisne, "Trop tôt", at(2025, 12, 31, 23, 30)),
        "paris": need(paris, "Hors région", at(2026, 2, 1, 12, 0)),
        "draft": need(aisne, "Brouillon", None, "draft"),
    }
    offers = {
        "bank": offer(
            volunteer, bank, at(2026, 2, 1, 8, 0), ["59", "02"], remote_ok=True,
            skills=[("commande-publique", "confirmed"), ("fonds-europeens", "expert")],
            hours_per_month=10,
        ),
        "old": offer(volunteer, bank, at(2025, 12, 1, 8, 0), ["02"]),
        "paris": offer(volunteer, bank, at(2026, 2, 1, 8, 0), ["75"]),
        "lille": offer(
            volunteer, bank, at(2026, 3, 2, 8, 0), ["59"], engagement="benevolat",
            hours_per_month=4, is_active=False,
        ),
    }  # fmt: skip
    rejected = proposal(
        needs["fse"], offers["bank"], at(2026, 2, 15, 14, 0), status="rejected", score=12.5
    )
    Review.objects.create(proposal=rejected, decision="rejected", reason="distance")
    declined = proposal(
        needs["nord"], offers["bank"], at(2026, 2, 21, 9, 0), status="declined", score=7.25,
        approved_at=at(2026, 2, 22, 10, 0),
    )  # fmt: skip
    Review.objects.create(proposal=declined, decision="approved", no_commercial_link=True)
    Answer.objects.create(proposal=declined, party="association", decision="accepted")
    Answer.objects.create(
        proposal=declined, party="volunteer", decision="declined", reason="not_available"
    )
    accepted = proposal(needs["formula"], offers["old"], at(2026, 3, 1, 9, 0), status="accepted")
    old = proposal(needs["before"], offers["old"], at(2025, 12, 31, 9, 0), status="accepted")
    in_nord = proposal(needs["nord"], offers["lille"], at(2026, 3, 3, 9, 0), status="accepted")
    # A mission of the autumn whose only hours in the period are not confirmed: left out.
    autumn = need(aisne, "Bilan de l'automne", at(2025, 10, 1, 9, 0), "completed")
    for_autumn = proposal(autumn, offers["old"], at(2025, 10, 2, 9, 0), status="accepted")
    in_paris = proposal(needs["paris"], offers["paris"], at(2026, 2, 5, 9, 0), status="accepted")
    logged, confirmed, disputed = "logged", "confirmed", "disputed"
    missions = {
        "formula": mission(
            accepted, at(2026, 3, 10, 9, 0),
            [(90, confirmed), (30, confirmed), (45, logged), (60, disputed),
             (15, confirmed, date(2026, 4, 1))],
        ),
        # Started the day before the period, with an hour confirmed in it.
        "before": mission(
            old, at(2025, 12, 31, 10, 0), [(60, confirmed), (30, confirmed, date(2025, 12, 31))]
        ),
        "nord": mission(
            in_nord, at(2026, 3, 5, 9, 0), [(120, confirmed)], status="completed",
            closed_at=at(2026, 3, 28, 17, 0),
        ),
        "autumn": mission(
            for_autumn, at(2025, 10, 3, 9, 0),
            [(240, confirmed, date(2025, 12, 31)), (30, logged, date(2026, 1, 1)),
             (45, disputed, date(2026, 2, 2))],
            status="completed", closed_at=at(2026, 2, 28, 17, 0),
        ),
        "paris": mission(in_paris, at(2026, 2, 10, 9, 0), [(60, confirmed)]),
    }  # fmt: skip
    return {
        "needs": needs, "offers": offers, "missions": missions, "volunteer": volunteer,
        "proposals": {
            "rejected": rejected, "declined": declined, "accepted": accepted, "in_nord": in_nord,
        },
    }  # fmt: skip


def export(client, user, name, **params):
    client.force_login(user)
    return client.get(reverse(name), params)


def rows_of(response):
    assert response.status_code == 200
    return read_rows(download(response))


def test_needs_are_those_published_in_the_period_in_the_region(client, world, cress_staff):
    """Published in the period (Paris days, both ends included), in Hauts-de-France: the
    need published before, the draft and the Paris need are left out."""
    needs = world["needs"]
    rows = rows_of(export(client, cress_staff, "export_needs", **PERIOD))
    domain = "Financements publics et commande publique"
    assert rows == [
        ["N° du besoin", "Structure", "Département", "Titre", "Compétence principale",
         "Domaine", "Statut", "Heures estimées", "Début souhaité", "Fin souhaitée",
         "Publié le", "Pourvu"],
        [str(needs["fse"].pk), "Les Jardins de Laon", "02 – Aisne", "Montage d'un dossier FSE+",
         "Fonds européens", domain, "Publié", "10", "2026-02-01", "2026-06-30",
         "2026-01-15 10:00", "non"],
        [str(needs["nord"].pk), "Nord Solidaire", "59 – Nord", 'Paie; contrats "aidés"',
         "Fonds européens", domain, "Binôme trouvé", "10", "2026-02-01", "2026-06-30",
         "2026-02-20 09:00", "oui"],
        [str(needs["formula"].pk), "Les Jardins de Laon", "02 – Aisne",
         "'=HYPERLINK(\"http://x\")", "Fonds européens", domain, "Terminé", "10",
         "2026-02-01", "2026-06-30", "2026-03-31 23:30", "oui"],
    ]  # fmt: skip


def test_a_departement_filter_keeps_its_rows_only(client, world, cress_staff):
    rows = rows_of(export(client, cress_staff, "export_needs", departement="59", **PERIOD))
    assert [row[0] for row in rows[1:]] == [str(world["needs"]["nord"].pk)]


def test_offers_carry_no_personal_contact_data(client, world, cress_staff):
    """Created in the period, covering a département of the region, active today or not (the
    Lille offer was withdrawn since: the dashboard's active offers leave it out, the file keeps
    it and says so); the employer, never the volunteer: no name, e-mail or phone anywhere in
    the file."""
    response = export(client, cress_staff, "export_offers", **PERIOD)
    body = download(response)
    for personal in ("Jeanne", "Vandamme", "jeanne.vandamme", "06 12 34 56 78", "0612345678"):
        assert personal.encode() not in body
    assert read_rows(body) == [
        ["N° de l'offre", "Employeur", "Type d'employeur", "Engagement",
         "Compétences et niveaux", "Départements couverts", "À distance possible",
         "Heures par mois", "Disponible à partir du", "Disponible jusqu'au",
         "Active aujourd'hui", "Créée le"],
        [str(world["offers"]["bank"].pk), "Banque du Nord", "Entreprise",
         "Mécénat de compétences (sur le temps de travail)",
         "Fonds européens (Expert) · Commande publique (Confirmé)", "02 – Aisne · 59 – Nord",
         "oui", "10", "2026-01-05", "", "oui", "2026-02-01 08:00"],
        [str(world["offers"]["lille"].pk), "Banque du Nord", "Entreprise",
         "Bénévolat de compétences (sur le temps personnel)", "Fonds européens (Confirmé)",
         "59 – Nord", "non", "4", "2026-01-05", "", "non", "2026-03-02 08:00"],
    ]  # fmt: skip


def test_proposals_carry_the_review_and_the_answers(client, world, cress_staff):
    """Made in the period for needs of the region, with the CRESS's decision and reason and
    each side's answer; the one made in December is left out."""
    proposals = world["proposals"]
    needs, offers = world["needs"], world["offers"]
    bank, old, lille = offers["bank"], offers["old"], offers["lille"]
    rows = rows_of(export(client, cress_staff, "export_proposals", **PERIOD))
    mecenat = "Mécénat de compétences (sur le temps de travail)"
    benevolat = "Bénévolat de compétences (sur le temps personnel)"
    matcher = "Moteur de mise en relation"
    assert rows == [
        ["N° de la proposition", "N° du besoin", "Besoin", "Structure", "Département",
         "N° de l'offre", "Engagement", "Origine", "Statut", "Score", "Créée le",
         "Approuvée le", "Décision de la CRESS", "Motif du rejet", "Réponses des parties"],
        [str(proposals["rejected"].pk), str(needs["fse"].pk), "Montage d'un dossier FSE+",
         "Les Jardins de Laon", "02 – Aisne", str(bank.pk), mecenat, matcher, "Rejetée",
         "12,5", "2026-02-15 14:00", "", "Rejetée", "Trop éloignés pour se rencontrer", ""],
        [str(proposals["declined"].pk), str(needs["nord"].pk), 'Paie; contrats "aidés"',
         "Nord Solidaire", "59 – Nord", str(bank.pk), mecenat, matcher, "Déclinée", "7,25",
         "2026-02-21 09:00", "2026-02-22 10:00", "Approuvée", "",
         "La structure : Accepte · Le ou la bénévole : Décline (Pas disponible en ce moment)"],
        [str(proposals["accepted"].pk), str(needs["formula"].pk), "'=HYPERLINK(\"http://x\")",
         "Les Jardins de Laon", "02 – Aisne", str(old.pk), mecenat, matcher, "Acceptée", "5",
         "2026-03-01 09:00", "", "", "", ""],
        [str(proposals["in_nord"].pk), str(needs["nord"].pk), 'Paie; contrats "aidés"',
         "Nord Solidaire", "59 – Nord", str(lille.pk), benevolat, matcher, "Acceptée", "5",
         "2026-03-03 09:00", "", "", "", ""],
    ]  # fmt: skip


def test_missions_carry_their_hours_in_the_period_in_all_and_waiting(client, world, cress_staff):
    """The missions started in the period or with hours confirmed in it. The one started the
    day before the period is in, with its hour of March 12th (and not its half hour of
    December 31st) in the period's column; 90 + 30 confirmed minutes of March = 2 h in the
    period, plus the quarter of April 1st = 2.25 h in all; 45 logged minutes = 0.75 h to
    confirm; disputed hours count nowhere. Left out: the autumn mission, whose hours in the
    period are only logged or disputed, and the Paris one, outside the region."""
    missions, needs = world["missions"], world["needs"]
    rows = rows_of(export(client, cress_staff, "export_missions", **PERIOD))
    mecenat = "Mécénat de compétences (sur le temps de travail)"
    assert rows == [
        ["N° de la mission", "N° du besoin", "Besoin", "Structure", "Département",
         "Employeur", "Engagement", "Statut", "Commencée le", "Close le",
         "Heures confirmées dans la période", "Heures confirmées en tout",
         "Heures à confirmer"],
        [str(missions["before"].pk), str(needs["before"].pk), "Trop tôt",
         "Les Jardins de Laon", "02 – Aisne", "Banque du Nord", mecenat, "En cours",
         "2025-12-31 10:00", "", "1,00", "1,50", "0,00"],
        [str(missions["nord"].pk), str(needs["nord"].pk),
         'Paie; contrats "aidés"', "Nord Solidaire", "59 – Nord", "Banque du Nord",
         "Bénévolat de compétences (sur le temps personnel)", "Terminée", "2026-03-05 09:00",
         "2026-03-28 17:00", "2,00", "2,00", "0,00"],
        [str(missions["formula"].pk), str(needs["formula"].pk),
         "'=HYPERLINK(\"http://x\")", "Les Jardins de Laon", "02 – Aisne", "Banque du Nord",
         mecenat, "En cours", "2026-03-10 09:00", "", "2,00", "2,25", "0,75"],
    ]  # fmt: skip


@pytest.mark.parametrize("departement", ["", "02", "59", "75"])
def test_the_hours_in_the_period_add_up_to_the_dashboards_hours_given(
    client, world, cress_staff, departement
):
    """The period's column sums to definitions.hours_given, the dashboard's and the map's
    « Heures données »: 1 + 2 + 2 = 5 h in the region (the Paris hour is not the region's)."""
    response = export(client, cress_staff, "export_missions", departement=departement, **PERIOD)
    rows = rows_of(response)
    in_period = rows[0].index("Heures confirmées dans la période")
    total = sum(Decimal(row[in_period].replace(",", ".")) for row in rows[1:])
    selection = Selection.from_request(response.wsgi_request)[1]
    given = definitions.hours_given(selection).aggregate(minutes=Sum("minutes"))["minutes"]
    assert total == Decimal(given or 0) / 60
    assert total == {"": 5, "02": 3, "59": 2, "75": 1}[departement]


def test_the_file_is_named_after_the_table_the_period_and_the_territory(client, world, cress_staff):
    response = export(client, cress_staff, "export_missions", departement="02", **PERIOD)
    assert response["Content-Disposition"] == (
        'attachment; filename="missions_2026-01-01_2026-03-31_02.csv"'
    )
    response = export(client, cress_staff, "export_offers", **PERIOD)
    assert response["Content-Disposition"] == (
        'attachment; filename="offres_2026-01-01_2026-03-31_02-59-60-62-80.csv"'
    )


# Territorial reviewers


@pytest.fixture
def territorial_reviewer(db):
    """A reviewer of the CRESS's Somme antenna: the Somme and the Aisne only."""
    cress = OrganisationFactory(kind=Kind.CRESS, departement="80", postcode="80000")
    return MembershipFactory(organisation=cress, review_departements=["80", "02"]).user


# What a reviewer of the Aisne and the Somme gets of each table: the rows of the Aisne, never
# the Nord's (the offer covering the Nord and the Aisne is theirs too: it covers their Aisne).
REVIEWER_ROWS = {
    "export_needs": lambda w: [w["needs"]["fse"], w["needs"]["formula"]],
    "export_offers": lambda w: [w["offers"]["bank"]],
    "export_proposals": lambda w: [w["proposals"]["rejected"], w["proposals"]["accepted"]],
    "export_missions": lambda w: [w["missions"]["before"], w["missions"]["formula"]],
}


@pytest.mark.parametrize("name", REVIEWER_ROWS)
def test_a_territorial_reviewer_exports_their_departements_only(
    client, world, territorial_reviewer, name
):
    response = export(client, territorial_reviewer, name, **PERIOD)
    assert response["Content-Disposition"].endswith('_2026-01-01_2026-03-31_02-80.csv"')
    rows = rows_of(response)
    assert [row[0] for row in rows[1:]] == [str(row.pk) for row in REVIEWER_ROWS[name](world)]
    assert not any("Nord Solidaire" in row for row in rows)


@pytest.mark.parametrize(
    "name", ["export_needs", "export_offers", "export_proposals", "export_missions"]
)
def test_a_territorial_reviewer_cannot_export_another_departement(
    client, world, territorial_reviewer, name
):
    response = export(client, territorial_reviewer, name, departement="59", **PERIOD)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "Export impossible" in text
    assert "Territoire : Sélectionnez un choix valide." in text
    assert b"Nord Solidaire" not in response.content


def test_a_wrong_period_is_refused_in_french_not_replaced(client, world, cress_staff):
    """A file named after a period must hold that period: no fallback to the default one."""
    response = export(client, cress_staff, "export_needs", start="2026-03-31", end="2026-01-01")
    assert response.status_code == 400
    assert "Au : La fin de la période doit suivre son début." in response.content.decode()
    response = export(client, cress_staff, "export_needs", start="31 mars", end="2026-01-01")
    assert response.status_code == 400
    assert "Du : Saisissez une date valide." in response.content.decode()


def test_an_end_alone_exports_the_twelve_months_ending_then(client, world, cress_staff):
    """The file is named after the selection, not the typed values: the end's twelve months."""
    in_2019 = need(world["needs"]["fse"].organisation, "Bilan 2019", at(2019, 6, 1, 10, 0))
    response = export(client, cress_staff, "export_needs", end="2020-01-01")
    assert response["Content-Disposition"] == (
        'attachment; filename="besoins_2019-01-02_2020-01-01_02-59-60-62-80.csv"'
    )
    assert [row[0] for row in rows_of(response)[1:]] == [str(in_2019.pk)]


def test_a_start_alone_exports_up_to_today(client, world, cress_staff):
    today = timezone.localdate()
    response = export(client, cress_staff, "export_needs", start="2026-03-01")
    assert response["Content-Disposition"] == (
        f'attachment; filename="besoins_2026-03-01_{today}_02-59-60-62-80.csv"'
    )
    assert [row[0] for row in rows_of(response)[1:]] == [str(world["needs"]["formula"].pk)]


def test_a_start_alone_after_today_is_refused(client, cress_staff):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = export(client, cress_staff, "export_needs", start=tomorrow.isoformat())
    assert response.status_code == 400
    assert "Au : La fin de la période doit suivre son début." in response.content.decode()


def test_without_filters_it_exports_the_last_twelve_months_of_the_region(client, cress_staff):
    today = timezone.localdate()
    response = export(client, cress_staff, "export_needs")
    assert response["Content-Disposition"] == (
        f'attachment; filename="besoins_{today - timedelta(days=364)}_{today}_02-59-60-62-80.csv"'
    )


def test_it_refuses_a_post(client, cress_staff):
    client.force_login(cress_staff)
    assert client.post(reverse("export_needs")).status_code == 405


# Queries: a fixed number per table, whatever the number of rows


def grow(world, count):
    """`count` more needs, offers, proposals and missions with hours, all in the period."""
    bank = world["offers"]["bank"].organisation
    aisne = world["needs"]["fse"].organisation
    for n in range(count):
        more_need = need(aisne, f"Besoin {n}", at(2026, 2, 2, 10, 0), "in_progress")
        more_offer = offer(
            world["volunteer"], bank, at(2026, 2, 2, 10, 0), ["02", "80"],
            skills=[("fonds-europeens", "expert"), ("recrutement", "junior")],
        )  # fmt: skip
        asked = proposal(more_need, more_offer, at(2026, 2, 3, 10, 0), status="accepted")
        Review.objects.create(proposal=asked, decision="approved", no_commercial_link=True)
        Answer.objects.create(proposal=asked, party="association", decision="accepted")
        Answer.objects.create(proposal=asked, party="volunteer", decision="accepted")
        mission(asked, at(2026, 2, 4, 10, 0), [(60, "confirmed"), (30, "logged")])


# The session, the user, their memberships (the staff check and the scope), then the table:
# one query for needs and missions (hours summed in it), three for offers (offers, their
# skills, their areas), two for proposals (with their review; their answers).
QUERIES = {"export_needs": 4, "export_offers": 6, "export_proposals": 5, "export_missions": 4}


@pytest.mark.parametrize("name", QUERIES)
def test_the_number_of_queries_does_not_grow_with_the_rows(
    client, world, cress_staff, django_assert_num_queries, name
):
    client.force_login(cress_staff)
    sizes = []
    for more in (0, 12):
        grow(world, more)
        with django_assert_num_queries(QUERIES[name]):
            sizes.append(len(read_rows(download(client.get(reverse(name), PERIOD)))))
    assert sizes[1] - sizes[0] == 12
