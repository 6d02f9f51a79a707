"""Quotations in a text: « » and “ ” paired as brackets, straight double
quotes paired in order within each paragraph."""

PAIRS = {"«": "»", "“": "”"}
_SKIPPED = " ,:\u00a0\u202f"


class QuoteRegions:
    def __init__(self, text: str) -> None:
        self.text = text
        self.by_open: dict[int, int] = {}
        self.by_close: dict[int, int] = {}
        stack: list[tuple[str, int]] = []
        straight: int | None = None
        for position, char in enumerate(text):
            if char == "\n":
                straight = None
                stack.clear()
            elif char in PAIRS:
                stack.append((PAIRS[char], position))
            elif stack and char == stack[-1][0]:
                self._pair(stack.pop()[1], position)
            elif char == '"':
                if straight is None:
                    straight = position
                else:
                    self._pair(straight, position)
                    straight = None

    def _pair(self, opening: int, closing: int) -> None:
        self.by_open[opening] = closing
        self.by_close[closing] = opening

    def opening_at(self, position: int) -> tuple[int, int] | None:
        """The inside of the quotation whose opening mark is at ``position``."""
        closing = self.by_open.get(position)
        return (position + 1, closing) if closing is not None else None

    def closing_before(self, position: int) -> tuple[int, int] | None:
        """The inside of a quotation closing just before ``position`` (spaces,
        commas and colons between)."""
        index = position - 1
        while index >= 0 and self.text[index] in _SKIPPED:
            index -= 1
        opening = self.by_close.get(index)
        return (opening + 1, index) if opening is not None else None

    def inside(self, position: int) -> tuple[int, int] | None:
        """The innermost quotation holding ``position``."""
        best: tuple[int, int] | None = None
        for opening, closing in self.by_open.items():
            if opening < position < closing and (best is None or opening > best[0] - 1):
                best = (opening + 1, closing)
        return best
