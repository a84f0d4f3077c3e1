"""How an export is named to the user, in French and English."""

from __future__ import annotations

# entity -> (singular fr, plural fr, singular en, plural en)
NOUNS = {
    "projects": ("projet", "projets", "project", "projects"),
    "voters": ("votant", "votants", "voter", "voters"),
    "meetings": ("réunion", "réunions", "meeting", "meetings"),
    "proposals": ("proposition", "propositions", "proposal", "proposals"),
    "budget_projects": ("projet de budget", "projets de budget", "budget project", "budget projects"),
    "investments": ("projet d'investissement", "projets d'investissement", "investment", "investments"),
    "headings": ("rubrique", "rubriques", "heading", "headings"),
    "activities": ("activité", "activités", "activity", "activities"),
}


def number(n: int, lang: str) -> str:
    """1 234 in French (narrow no-break space), 1,234 in English."""
    return f"{n:,}".replace(",", "\u202f") if lang == "fr" else f"{n:,}"


def counted(n: int, entity: str, lang: str) -> str:
    one_fr, many_fr, one_en, many_en = NOUNS[entity]
    word = (one_fr if n == 1 else many_fr) if lang == "fr" else (one_en if n == 1 else many_en)
    return f"{number(n, lang)} {word}"


def summary(export, lang: str) -> str:
    """ "Fichier Pabulib : Kraków 2024, 119 projets, 65 101 votants" and the like."""
    counts = ", ".join(counted(n, e, lang) for e, n in export.counts.items())
    if export.platform == "pabulib":
        head = "Fichier Pabulib : " if lang == "fr" else "Pabulib file: "
        return head + ", ".join(x for x in (export.label, counts) if x)
    if export.platform == "decidim":
        files = len(export.members)
        if lang == "fr":
            head = f"Export Decidim, {files} fichier{'s' if files > 1 else ''} : "
        else:
            head = f"Decidim export, {files} file{'s' if files > 1 else ''}: "
        return head + counts
    head = "Export CONSUL : " if lang == "fr" else "CONSUL export: "
    return head + counts


def nothing_detail(export) -> dict:
    fr = summary(export, "fr")
    en = summary(export, "en")
    return {"detail_fr": fr, "detail_en": en}
