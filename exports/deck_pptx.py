"""A deck as a PowerPoint file: one 16:9 slide per chart, with its title (the slide's
title placeholder, so that PowerPoint's outline and screen readers find it), the chart as
a picture (its takeaway as the picture's alternative text), the one-sentence takeaway,
and a footer with source, data date and slide number. The takeaway and the note are also
the speaker notes."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from charts.presentation import SLIDE_WIDTH, THEME, present
from exports.images import render
from exports.slide import Slide

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.4)
PICTURE_TOP, PICTURE_HEIGHT = Inches(1.35), Inches(4.55)
TITLE_ONLY = 5  # the "Title Only" layout of python-pptx's default template
PICTURE_PX = (SLIDE_WIDTH, round(SLIDE_WIDTH * PICTURE_HEIGHT / (WIDTH - 2 * MARGIN)))
FOOTER = {"fr": "{source} · données du {date} · {n}/{total}", "en": "{source} · data as of {date} · {n}/{total}"}


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#"))


def pictures(slides: list[Slide]) -> list[bytes]:
    """The chart of each slide as a PNG the size of the picture frame (twice the pixels,
    for sharp projection), in the presentation theme and without its title (the slide
    has it). Raises exports.images.ExportUnavailable without Chromium."""
    width, height = PICTURE_PX
    figures = [present(s.figure, levels=s.levels, title=False, width=width, height=height) for s in slides]
    return render(figures, "png", width=width, height=height, scale=2)


def _text(slide, text: str, top: Emu, height: Emu, size: int, colour: str, bold: bool = False) -> None:
    box = slide.shapes.add_textbox(MARGIN, top, WIDTH - 2 * MARGIN, height)
    frame = box.text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, _rgb(colour)


def deck_pptx(slides: list[Slide], images: list[bytes] | None = None, lang: str = "fr") -> bytes:
    """The deck as .pptx bytes. `images`: one PNG per slide (default: `pictures(slides)`)."""
    images = pictures(slides) if images is None else images
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    for number, (item, image) in enumerate(zip(slides, images, strict=True), start=1):
        slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
        title = slide.shapes.title
        title.left, title.top, title.width, title.height = MARGIN, Inches(0.25), WIDTH - 2 * MARGIN, Inches(0.9)
        title.text = item.title
        for paragraph in title.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.size, run.font.bold, run.font.color.rgb = Pt(32), True, _rgb(THEME["text"])
        if item.note:
            _text(slide, item.note, Inches(1.0), Inches(0.35), 16, THEME["muted"])
        picture = slide.shapes.add_picture(io.BytesIO(image), MARGIN, PICTURE_TOP, width=WIDTH - 2 * MARGIN)
        picture._element.nvPicPr.cNvPr.set("descr", item.summary)  # alternative text
        _text(slide, item.summary, Inches(6.0), Inches(0.85), 20, THEME["text"])
        footer = FOOTER[lang].format(source=item.source, date=item.data_date, n=number, total=len(slides))
        _text(slide, footer, Inches(6.95), Inches(0.4), 12, THEME["muted"])
        slide.notes_slide.notes_text_frame.text = "\n".join(filter(None, [item.summary, item.note]))
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
