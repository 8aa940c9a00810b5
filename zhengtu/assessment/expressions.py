"""A small, safe evaluator for the XLSForm expression subset used by Zhengtu's instruments.

Skip logic (`relevant`), `constraint`, `required`, `calculation`, critical-item rules and cut-off
conditions are all written in XLSForm's XPath dialect. We evaluate them on the server with our own
parser: no `eval()`, a bounded length and nesting depth, and only the functions listed below.

Supported: `${field}` references, `.` (the current answer), numbers, 'string' and "string"
literals, `or`, `and`, `not()`, `=`, `!=`, `<`, `<=`, `>`, `>=`, `+`, `-`, `*`, `div`, `mod`,
unary minus, parentheses and the functions in FUNCTIONS. Values follow XPath 1.0 conversion rules
(an empty answer is the empty string, which is NaN as a number and false as a boolean).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _

Value = str | float | bool

MAX_EXPRESSION_LENGTH = 2000
MAX_DEPTH = 40


class ExpressionError(ValueError):
    """An expression that cannot be parsed; the message is written for the person who wrote it."""


# ---------------------------------------------------------------- tokens

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<ref>\$\{\s*(?P<refname>[^}\s]*)\s*\})
  | (?P<number>\d+(?:\.\d*)?|\.\d+)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<op><=|>=|!=|=|<|>|\+|-|\*|\(|\)|,)
  | (?P<dot>\.)
  | (?P<name>[A-Za-z_][A-Za-z0-9_\-]*)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class _Token:
    kind: str  # ref, number, string, op, dot, name, end
    text: str
    position: int


def _tokenise(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None:
            raise ExpressionError(
                _("Unexpected character “%(char)s” at position %(position)d.")
                % {"char": source[position], "position": position + 1}
            )
        kind = match.lastgroup or ""
        if match.group("ref") is not None:
            name = match.group("refname")
            if not name:
                raise ExpressionError(
                    _("An empty reference ${} at position %(position)d.") % {"position": position + 1}
                )
            tokens.append(_Token("ref", name, position))
        elif kind != "space":
            tokens.append(_Token(kind, match.group(kind), position))
        position = match.end()
    tokens.append(_Token("end", "", len(source)))
    return tokens


# ---------------------------------------------------------------- syntax tree


@dataclass(frozen=True)
class Literal:
    value: Value


@dataclass(frozen=True)
class Reference:
    name: str


@dataclass(frozen=True)
class Current:
    pass


@dataclass(frozen=True)
class Unary:
    operator: str
    operand: Node


@dataclass(frozen=True)
class Binary:
    operator: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    function: str
    arguments: tuple[Node, ...]


Node = Literal | Reference | Current | Unary | Binary | Call


# ---------------------------------------------------------------- conversions (XPath 1.0)


def to_number(value: Value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    text = value.strip()
    if not text:
        return math.nan
    try:
        return float(text)
    except ValueError:
        return math.nan


def to_boolean(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return not (value == 0 or math.isnan(value))
    return len(value) > 0


def to_string(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return value


def _equal(left: Value, right: Value) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return to_boolean(left) == to_boolean(right)
    if isinstance(left, int | float) or isinstance(right, int | float):
        return to_number(left) == to_number(right)
    return left == right


def _divide(left: float, right: float) -> float:
    if right == 0:
        if left == 0 or math.isnan(left):
            return math.nan
        return math.copysign(math.inf, left) * math.copysign(1, right)
    return left / right


def _modulo(left: float, right: float) -> float:
    if right == 0 or math.isnan(left) or math.isnan(right) or math.isinf(left):
        return math.nan
    return math.fmod(left, right)


# ---------------------------------------------------------------- functions


def _selected(values: Value, choice: Value) -> bool:
    return to_string(choice) in to_string(values).split()


def _count_selected(values: Value) -> float:
    return float(len(to_string(values).split()))


def _int(value: Value) -> float:
    number = to_number(value)
    return number if math.isnan(number) or math.isinf(number) else float(math.trunc(number))


def _round(value: Value, places: Value = 0.0) -> float:
    number = to_number(value)
    if math.isnan(number) or math.isinf(number):
        return number
    factor = 10 ** int(to_number(places))
    return math.floor(number * factor + 0.5) / factor


def _coalesce(first: Value, second: Value) -> Value:
    return first if to_string(first) != "" else second


def _concat(*parts: Value) -> str:
    return "".join(to_string(part) for part in parts)


# name → (callable, minimum arguments, maximum arguments)
FUNCTIONS: dict[str, tuple[Callable[..., Value], int, int]] = {
    "not": (lambda value: not to_boolean(value), 1, 1),
    "true": (lambda: True, 0, 0),
    "false": (lambda: False, 0, 0),
    "selected": (_selected, 2, 2),
    "count-selected": (_count_selected, 1, 1),
    "number": (to_number, 1, 1),
    "string": (to_string, 1, 1),
    "int": (_int, 1, 1),
    "round": (_round, 1, 2),
    "string-length": (lambda value: float(len(to_string(value))), 1, 1),
    "coalesce": (_coalesce, 2, 2),
    "concat": (_concat, 1, 10),
}
# `if` is evaluated lazily (only the chosen branch), so it is handled by the evaluator itself.
LAZY_FUNCTIONS = {"if": 3}


# ---------------------------------------------------------------- parser


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = _tokenise(source)
        self.index = 0
        self.depth = 0

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def _advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def _is(self, kind: str, text: str | None = None) -> bool:
        token = self.current
        return token.kind == kind and (text is None or token.text == text)

    def _expect(self, kind: str, text: str) -> None:
        if not self._is(kind, text):
            raise self._error(_("“%(expected)s” expected") % {"expected": text})
        self._advance()

    def _error(self, message: str) -> ExpressionError:
        token = self.current
        found = token.text if token.kind != "end" else _("the end of the expression")
        return ExpressionError(
            _("%(message)s at position %(position)d (found “%(found)s”).")
            % {"message": message, "position": token.position + 1, "found": found}
        )

    def parse(self) -> Node:
        node = self._or()
        if not self._is("end"):
            raise self._error(_("Unexpected text"))
        return node

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(_("The expression is nested too deeply."))

    def _binary_level(self, operators: tuple[str, ...], kinds: tuple[str, ...], operand: Callable[[], Node]) -> Node:
        left = operand()
        while any(self._is(kind, op) for kind in kinds for op in operators):
            operator = self._advance().text
            left = Binary(operator, left, operand())
        return left

    def _or(self) -> Node:
        return self._binary_level(("or",), ("name",), self._and)

    def _and(self) -> Node:
        return self._binary_level(("and",), ("name",), self._equality)

    def _equality(self) -> Node:
        return self._binary_level(("=", "!="), ("op",), self._relational)

    def _relational(self) -> Node:
        return self._binary_level(("<", "<=", ">", ">="), ("op",), self._additive)

    def _additive(self) -> Node:
        return self._binary_level(("+", "-"), ("op",), self._multiplicative)

    def _multiplicative(self) -> Node:
        left = self._unary()
        while self._is("op", "*") or self._is("name", "div") or self._is("name", "mod"):
            operator = self._advance().text
            left = Binary(operator, left, self._unary())
        return left

    def _unary(self) -> Node:
        if self._is("op", "-"):
            self._advance()
            self._enter()
            operand = self._unary()
            self.depth -= 1
            return Unary("-", operand)
        return self._primary()

    def _primary(self) -> Node:
        token = self.current
        if token.kind == "number":
            self._advance()
            return Literal(float(token.text))
        if token.kind == "string":
            self._advance()
            return Literal(token.text[1:-1])
        if token.kind == "ref":
            self._advance()
            return Reference(token.text)
        if token.kind == "dot":
            self._advance()
            return Current()
        if token.kind == "op" and token.text == "(":
            self._advance()
            self._enter()
            node = self._or()
            self.depth -= 1
            self._expect("op", ")")
            return node
        if token.kind == "name":
            return self._call()
        raise self._error(_("A value was expected"))

    def _call(self) -> Node:
        name_token = self._advance()
        name = name_token.text
        if not self._is("op", "("):
            raise ExpressionError(
                _("“%(name)s” at position %(position)d is not understood; refer to questions as ${name}.")
                % {"name": name, "position": name_token.position + 1}
            )
        if name not in FUNCTIONS and name not in LAZY_FUNCTIONS:
            raise ExpressionError(
                _("The function “%(name)s” is not supported. Supported functions: %(names)s.")
                % {"name": name, "names": ", ".join(sorted([*FUNCTIONS, *LAZY_FUNCTIONS]))}
            )
        self._advance()
        self._enter()
        arguments: list[Node] = []
        if not self._is("op", ")"):
            arguments.append(self._or())
            while self._is("op", ","):
                self._advance()
                arguments.append(self._or())
        self.depth -= 1
        self._expect("op", ")")
        if name in LAZY_FUNCTIONS:
            low = high = LAZY_FUNCTIONS[name]
        else:
            _function, low, high = FUNCTIONS[name]
        if not low <= len(arguments) <= high:
            raise ExpressionError(
                _("The function “%(name)s” takes %(low)d to %(high)d arguments, not %(count)d.")
                % {"name": name, "low": low, "high": high, "count": len(arguments)}
            )
        return Call(name, tuple(arguments))


@lru_cache(maxsize=4096)
def parse(source: str) -> Node:
    """The syntax tree of `source`; raises ExpressionError with a readable message."""
    if len(source) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(_("The expression is longer than %(max)d characters.") % {"max": MAX_EXPRESSION_LENGTH})
    if not source.strip():
        raise ExpressionError(_("The expression is empty."))
    return _Parser(source).parse()


def references(node: Node) -> set[str]:
    """Every ${name} the expression reads."""
    if isinstance(node, Reference):
        return {node.name}
    if isinstance(node, Unary):
        return references(node.operand)
    if isinstance(node, Binary):
        return references(node.left) | references(node.right)
    if isinstance(node, Call):
        found: set[str] = set()
        for argument in node.arguments:
            found |= references(argument)
        return found
    return set()


def uses_current(node: Node) -> bool:
    if isinstance(node, Current):
        return True
    if isinstance(node, Unary):
        return uses_current(node.operand)
    if isinstance(node, Binary):
        return uses_current(node.left) or uses_current(node.right)
    if isinstance(node, Call):
        return any(uses_current(argument) for argument in node.arguments)
    return False


# ---------------------------------------------------------------- evaluation


def _evaluate(node: Node, values: Mapping[str, Value], current: Value) -> Value:
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Reference):
        return values.get(node.name, "")
    if isinstance(node, Current):
        return current
    if isinstance(node, Unary):
        return -to_number(_evaluate(node.operand, values, current))
    if isinstance(node, Binary):
        operator = node.operator
        if operator == "or":
            return to_boolean(_evaluate(node.left, values, current)) or to_boolean(
                _evaluate(node.right, values, current)
            )
        if operator == "and":
            return to_boolean(_evaluate(node.left, values, current)) and to_boolean(
                _evaluate(node.right, values, current)
            )
        left = _evaluate(node.left, values, current)
        right = _evaluate(node.right, values, current)
        if operator == "=":
            return _equal(left, right)
        if operator == "!=":
            return not _equal(left, right)
        a, b = to_number(left), to_number(right)
        if operator == "<":
            return a < b
        if operator == "<=":
            return a <= b
        if operator == ">":
            return a > b
        if operator == ">=":
            return a >= b
        if operator == "+":
            return a + b
        if operator == "-":
            return a - b
        if operator == "*":
            return a * b
        if operator == "div":
            return _divide(a, b)
        return _modulo(a, b)
    if node.function == "if":
        condition, when_true, when_false = node.arguments
        chosen = when_true if to_boolean(_evaluate(condition, values, current)) else when_false
        return _evaluate(chosen, values, current)
    function, _low, _high = FUNCTIONS[node.function]
    return function(*(_evaluate(argument, values, current) for argument in node.arguments))


def evaluate(source: str | Node, values: Mapping[str, Value], *, current: Value = "") -> Value:
    node = parse(source) if isinstance(source, str) else source
    return _evaluate(node, values, current)


def is_true(source: str | Node, values: Mapping[str, Value], *, current: Value = "") -> bool:
    return to_boolean(evaluate(source, values, current=current))
