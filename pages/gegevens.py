"""Gegevens: the template, uploading and checking files, one activity by form, completeness."""

import streamlit as st

from wijkimpact.config import database_path
from wijkimpact.data import queries
from wijkimpact.domain import quality
from wijkimpact.escaping import for_markdown
from wijkimpact.i18n import _
from wijkimpact.report import koppeling, template
from wijkimpact.ui import activity_form, downloads, filters, intake, router, session, store

PROBLEM_COLUMNS = {
    _(column): st.column_config.TextColumn(width=width)
    for column, width in intake.PROBLEM_WIDTHS.items()
}

router.ensure_router()
choice = filters.require_data()
st.title(_("Gegevens"))
st.caption(
    _(
        "Laad de cijfers van een onderneming: vul het sjabloon in (of gebruik een eigen Excel- "
        "of CSV-bestand met dezelfde kolommen), controleer wat Wijkimpact erin leest, en laad "
        "het."
    )
)
viewer = session.current_viewer()
catalogue = store.load(queries.enterprises, gemeente=choice.gemeente)
writable = catalogue[[viewer.may_write(i) for i in catalogue["enterprise_id"]]]
wijken = store.load(queries.wijken, gemeente=choice.gemeente)
CLOSED = _(
    "Alleen een onderneming (voor haar eigen gegevens) en beheerders kunnen hier gegevens "
    "laden of invoeren."
)
if catalogue.empty:
    st.info(
        _(
            "Er staan nog geen ondernemingen in de database: begin met het blad ondernemingen "
            "van het sjabloon, daarna de andere bladen."
        ),
        icon=":material/info:",
    )
files_tab, form_tab, quality_tab = st.tabs(
    [_("Bestanden"), _("Activiteit invoeren"), _("Volledigheid")]
)

with files_tab:
    owner = template.owner(viewer.scope[0] if viewer.may_upload and viewer.scope else None)
    if owner is not None:
        st.info(
            _(
                "U laadt de gegevens van {naam}. Het id van uw onderneming is **{id}**: het "
                "sjabloon heeft het al ingevuld, en in de kolom onderneming mag ook uw naam staan.",
                naam=for_markdown(owner.name),
                id=for_markdown(owner.enterprise_id),
            ),
            icon=":material/badge:",
        )
    st.download_button(
        _("Download het invulsjabloon (Excel)"),
        lambda: template.build_template(wijken, owner),  # made when clicked
        file_name=template.FILE_NAME,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        key="sjabloon",
        on_click="ignore",  # no rerun, as downloads.table_downloads
    )
    st.caption(
        _(
            "Houdt u de boekhouding bij in een boekhoudpakket? Exporteer de auditfile (XAF) uit "
            "uw boekhoudpakket en upload hem hier: Wijkimpact maakt van de winst- en "
            "verliesrekeningen maandcijfers per categorie. De eerste keer zegt u per "
            "grootboekrekening welke categorie het is (de koppeling); daarna is één upload per "
            "jaar of kwartaal genoeg."
        )
    )
    uploaded = None
    if viewer.may_upload:
        uploaded = st.file_uploader(
            _(
                "Bestanden (xlsx, csv, txt of auditfile xaf; hoogstens {max} MB per bestand)",
                max=intake.MAX_MB,
            ),
            type=[suffix.lstrip(".") for suffix in intake.SUFFIXES],
            accept_multiple_files=True,
            max_upload_size=intake.MAX_MB,
            key=f"bestanden_{st.session_state.get('gegevens_ronde', 0)}",
        )
    else:
        st.info(CLOSED, icon=":material/lock:")
    files = intake.uploads(uploaded)
    given = None  # a beheerder says whose auditfiles these are (an enterprise: its own)
    if viewer.sees_all and any(f.name.lower().endswith((".xaf", ".xml")) for f in files):
        enterprises = dict(zip(catalogue["enterprise_id"], catalogue["name"], strict=True))
        given = st.selectbox(
            _("Van welke onderneming is de auditfile?"),
            list(enterprises),
            index=None,
            format_func=enterprises.get,
            placeholder=_("Volgens het KvK-nummer in het bestand"),
            key="auditfile_onderneming",
        )
    done = None if files else st.session_state.get("gegevens_geladen")
    if done is not None:  # the last load, until the next upload: messages are of the last action
        st.success(_("Geladen. Alle pagina's tonen nu de nieuwe cijfers."), icon=":material/check:")
        st.dataframe(done.rename(columns=_), hide_index=True, key="samenvatting")
        st.caption(
            _(
                "Nieuw, vervangen en ongewijzigd tellen perioden: een onderneming, een jaar of "
                "maand, een activiteit of een pand."
            )
        )
    if files:
        st.session_state.pop("gegevens_geladen", None)
        found = intake.cached_check(files, viewer, given)
        if not found.problems.empty:
            st.subheader(_("Problemen ({n})", n=len(found.problems)))
            st.error(
                _("Er is niets geladen. Verbeter de bestanden en upload ze opnieuw."),
                icon=":material/error:",
            )
            problems = found.problems.rename(columns=_)
            st.dataframe(problems, hide_index=True, key="problemen", column_config=PROBLEM_COLUMNS)
            downloads.table_downloads(problems, _("Problemen"), "problemen")
        if not found.koppeling.empty:
            offer = found.koppeling
            st.download_button(
                _("Download de koppeling om in te vullen (Excel)"),
                lambda: koppeling.build_koppeling(offer),  # made when clicked
                file_name=koppeling.FILE_NAME,
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                icon=":material/download:",
                key="koppeling",
                on_click="ignore",  # no rerun, as downloads.table_downloads
            )
            st.caption(
                _(
                    "De categorie is voorgesteld uit de omschrijving van elke rekening: controleer "
                    "ze, sla het bestand op en upload het samen met de auditfile."
                )
            )
        if found.sheets:
            st.subheader(_("Wat Wijkimpact leest"))
            for sheet in found.sheets:
                with st.expander(for_markdown(sheet.label)):
                    st.dataframe(sheet.head.rename(columns={"Rij": _("Rij")}), hide_index=True)
        for note in found.notes:
            st.caption(for_markdown(note))
        ready = st.empty()  # gives way to the load's own outcome once Laden is clicked
        if found.ok:
            ready.success(_("Geen problemen gevonden. Klik op Laden om het op te slaan."))
        if found.ok and st.button(
            _("Laden"), type="primary", icon=":material/upload:", key="laden"
        ):
            ready.empty()
            with st.status(_("Gegevens laden ..."), expanded=True) as status:
                outcome = intake.load(
                    files, database_path(), viewer=viewer, report=status.write, onderneming=given
                )
                status.update(
                    label=_("Geladen") if outcome.loaded else _("Niet geladen"),
                    state="complete" if outcome.loaded else "error",
                )
            if outcome.loaded:
                st.session_state["gegevens_geladen"] = outcome.summary
                st.session_state["gegevens_ronde"] = st.session_state.get("gegevens_ronde", 0) + 1
                st.rerun()
            st.dataframe(
                outcome.problems.rename(columns=_),
                hide_index=True,
                column_config=PROBLEM_COLUMNS,
            )

with form_tab:
    if not viewer.may_upload:
        st.info(CLOSED, icon=":material/lock:")
    elif writable.empty:
        st.info(_("Laad eerst een onderneming (blad ondernemingen)."), icon=":material/info:")
    else:
        names = dict(zip(writable["enterprise_id"], writable["name"], strict=True))
        places = dict(zip(wijken["area_code"], wijken["name"], strict=True))
        left, right = st.columns([3, 2])
        with left.container(border=True):  # no form: what a number will store shows as typed
            values = {
                "onderneming": st.selectbox(
                    _("Onderneming"), list(names), format_func=names.get, key="form_onderneming"
                ),
                "datum": st.date_input(_("Datum"), format="DD-MM-YYYY", key="form_datum"),
                "activiteit": st.text_input(_("Activiteit"), key="form_activiteit"),
                "thema": st.selectbox(
                    _("Thema"),
                    template.THEMAS,
                    index=None,
                    format_func=_,
                    placeholder=_("Kies een thema"),
                    key="form_thema",
                ),
                "wijkcode": st.selectbox(
                    _("Wijk"),
                    list(places),
                    index=None,
                    accept_new_options=True,
                    format_func=lambda code: f"{code} {places.get(code) or ''}".strip(),
                    placeholder=_("Kies een wijk of typ een wijkcode"),
                    key="form_wijk",
                ),
            }
            counts = dict(zip(activity_form.NUMBERS, st.columns(3), strict=True))
            for field, (label, key) in activity_form.NUMBERS.items():
                values[field] = counts[field].text_input(_(label), key=key, placeholder="0")
            for field, (value, kind, wrong) in activity_form.read_numbers(values).items():
                if wrong:
                    counts[field].caption(f":red[{for_markdown(wrong)}]")
                else:
                    stored = intake.shown(value, kind)
                    counts[field].caption(_("Wordt opgeslagen als {waarde}", waarde=stored))
            submitted = st.button(_("Opslaan"), type="primary", key="form_opslaan")
        with right:
            st.caption(_("Het formulier volgt dezelfde regels als het blad activiteiten."))
            if submitted:
                saved = activity_form.save(values, database_path(), viewer=viewer)
                if saved.problems:
                    st.error(
                        _(
                            "Niet opgeslagen:\n\n{problemen}",
                            problemen=activity_form.as_markdown(saved.problems),
                        )
                    )
                else:
                    st.success(saved.message, icon=":material/check:")

with quality_tab:
    completeness = quality.overview(store.load(queries.data_completeness, gemeente=choice.gemeente))
    if completeness.empty:
        st.info(_("Nog niets om te controleren."), icon=":material/info:")
    else:
        st.caption(_("Per onderneming en jaar: wat er geladen is en wat nog ontbreekt."))
        completeness = completeness.rename(columns=_)
        st.dataframe(
            completeness,
            hide_index=True,
            key="volledigheid",
            height=min(38 + 35 * len(completeness), 600),
            column_config={
                _("Onderneming"): st.column_config.TextColumn(pinned=True),
                _("Jaar"): st.column_config.NumberColumn(format="%d"),
                _("Wat ontbreekt"): st.column_config.TextColumn(width="medium"),
            },
        )
        downloads.table_downloads(completeness, _("Volledigheid"), "volledigheid")
