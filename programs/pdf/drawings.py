"""Drawing reportlab Drawings (charts, the body map) on a plan's pages, fast when shared.

A shared drawing (marked ``_shared``: ``assessments.charts.progress_chart`` and
``bodymap.shared_body_map`` cache them) is never changed, so what reportlab's renderer
does with it is the same every time: the same canvas calls with the same arguments. The
second time it is drawn (the first time, it may well be the only one), the renderer draws
it on a ``Recorder`` that passes every call on to the real canvas and notes it; after
that the noted calls are made again on the next plan's canvas, without the renderer
(walking the shapes, working out the state changes).

Calls, not their output, are replayed where the output depends on the document: fonts
are registered, and the characters of an embedded font are given their codes, by the plan
being drawn, as the renderer would. But each shape is drawn between a saveState and its
restoreState with calls (opaque colours, line styles, paths) whose output depends on their
arguments alone; such a block, which leaves the canvas as it found it, is replayed as the
PDF operators it wrote the first time (checked: the few canvas settings those calls could
depend on, transparency and the fill rule, are as they were when it was recorded).
"""

from __future__ import annotations

from reportlab.lib.colors import CMYKColor, Color

from assessments.charts import RENDER_LOCK

# Canvas calls whose output is their arguments' (colours are checked to be plain RGB);
# setting an attribute that restoreState puts back (the renderer sets the fill rule) too.
PLAIN_CALLS = frozenset(
    {
        "saveState",
        "restoreState",
        "transform",
        "setFillColor",
        "setStrokeColor",
        "setLineWidth",
        "setLineCap",
        "setLineJoin",
        "setDash",
        "beginPath",
        "drawPath",
        "line",
        "rect",
        "roundRect",
        "circle",
        "ellipse",
    }
)
COLOUR_CALLS = frozenset({"setFillColor", "setStrokeColor"})
OPERATORS = "operators"  # a replay step that writes recorded PDF operators


def draw(drawing, canvas) -> None:
    """``renderPDF.draw(drawing, canvas, 0, 0)``, replayed when the drawing is shared."""
    replay = getattr(drawing, "_pdf_replay", None)
    if replay is None:
        replay = _render(drawing, canvas)
        if replay is None:
            return
    context, calls, steps = replay
    if _context(canvas) != context:  # e.g. a transparency set before: make every call
        steps = calls
    for name, args, kwargs in steps:
        if name is OPERATORS:
            canvas._code.extend(args)
        elif name is None:
            setattr(canvas, args, kwargs)
        else:
            getattr(canvas, name)(*args, **kwargs)


def _context(canvas) -> tuple:
    """What the output of a plain call may depend on besides its arguments."""
    return (
        canvas._fillMode,
        tuple(sorted(canvas._extgstate._d.items())),
        canvas._enforceColorSpace is None,
    )


def _render(drawing, canvas) -> tuple | None:
    """Draw with the renderer, and keep what to replay next time if the drawing is shared.

    Returns None when the drawing is drawn, or the replay when another thread recorded
    it first (and nothing is drawn yet).
    """
    from reportlab.graphics import renderPDF

    if not getattr(drawing, "_shared", False):
        renderPDF.draw(drawing, canvas, 0, 0)
        return None
    with RENDER_LOCK:  # the renderer marks the nodes it draws while it draws them
        replay = getattr(drawing, "_pdf_replay", None)
        if replay is not None:
            return replay
        if not getattr(drawing, "_pdf_drawn", False):
            # Recording costs about as much as drawing: worth it for a drawing drawn again.
            renderPDF.draw(drawing, canvas, 0, 0)
            drawing._pdf_drawn = True
            return None
        context = _context(canvas)
        recorder = Recorder(canvas)
        renderPDF.draw(drawing, recorder, 0, 0)
        calls = tuple((name, args, kwargs) for name, args, kwargs, _ in recorder.calls)
        drawing._pdf_replay = (context, calls, _steps(recorder))
    return None


def _steps(recorder: Recorder) -> tuple:
    """The calls, each outermost plain block that left the canvas as it found it turned
    into the operators it wrote (next to each other, into one step)."""
    calls = recorder.calls
    blocks = _plain_blocks(calls, recorder.restored)
    steps: list = []
    i = 0
    while i < len(calls):
        end = blocks.get(i)
        if end is None:
            name, args, kwargs, _ = calls[i]
            steps.append((name, args, kwargs))
            i += 1
            continue
        operators = [line for call in calls[i : end + 1] for line in call[3]]
        if steps and steps[-1][0] is OPERATORS:
            operators = [*steps.pop()[1], *operators]
        steps.append((OPERATORS, tuple(operators), None))
        i = end + 1
    return tuple(steps)


def _plain_blocks(calls: list, restored: set[int]) -> dict[int, int]:
    """{index of a saveState: index of its restoreState} for the outermost blocks of plain
    calls after which the canvas was as before."""
    blocks: dict[int, int] = {}
    open_blocks: list[list] = []  # [index of the saveState, only plain calls since]
    for i, (name, args, kwargs, _) in enumerate(calls):
        if name == "saveState":
            open_blocks.append([i, True])
        elif name == "restoreState" and open_blocks:
            start, plain = open_blocks.pop()
            if plain and i in restored:
                for inner in [s for s in blocks if start < s]:
                    del blocks[inner]  # the outermost plain block wins
                blocks[start] = i
            elif open_blocks:
                open_blocks[-1][1] = open_blocks[-1][1] and plain
        elif not _plain(name, args, kwargs):
            for block in open_blocks:
                block[1] = False
    return blocks


def _plain(name, args, kwargs) -> bool:
    if name is None:  # an attribute set: plain if restoreState puts it back (the fill rule)
        from reportlab.pdfgen.canvas import Canvas

        return args in Canvas.STATE_ATTRIBUTES
    if name not in PLAIN_CALLS:
        return False
    if name in COLOUR_CALLS:
        colour = args[0] if args else None
        return (
            isinstance(colour, Color)
            and not isinstance(colour, CMYKColor)
            and kwargs.get("alpha") is None
            and len(args) == 1
        )
    return True


class Recorder:
    """Stands in for a canvas: passes every call and attribute on, noting calls and changes.

    ``calls`` holds (method name, args, kwargs, operators written) for each call and
    (None, attribute, value, ()) for each attribute set on the canvas; ``restored`` the
    index of each restoreState after which the canvas held the same values as before its
    saveState. What the renderer keeps in the stand-in's own ``__dict__`` (its note of the
    drawing) stays there.
    """

    def __init__(self, canvas):
        self.__dict__["_canvas"] = canvas
        self.__dict__["calls"] = []
        self.__dict__["restored"] = set()
        self.__dict__["_saved"] = []

    def __getattr__(self, name):
        canvas = self._canvas
        value = getattr(canvas, name)
        if name.startswith("__") or not callable(value):
            return value
        calls, saved = self.calls, self._saved

        def call(*args, **kwargs):
            if name == "saveState":
                saved.append(_state(canvas))
            written = len(canvas._code)
            result = value(*args, **kwargs)
            if name == "restoreState" and saved and saved.pop() == _state(canvas):
                self.restored.add(len(calls))
            calls.append((name, args, kwargs, tuple(canvas._code[written:])))
            return result

        self.__dict__[name] = call  # asked once per method
        return call

    def __setattr__(self, name, value):
        self.calls.append((None, name, value, ()))
        setattr(self._canvas, name, value)


def _state(canvas) -> dict:
    """The canvas's attributes, but its operators (compared by value: a restoreState puts
    back the very objects a saveState kept)."""
    state = canvas.__dict__.copy()
    del state["_code"]
    return state
