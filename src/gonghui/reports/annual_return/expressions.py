"""The small language of the cross-check rules: ``[2-05] <= [2-04]``, ``[1-03] = 0 -> [2-14] = 0``.

``[x-yy]`` is a row of this return, ``prev[x-yy]`` the same row in last year's accepted
return; ``=`` compares, ``+ -`` add, ``abs()`` is allowed, ``a -> b`` reads "if a then b".
An expression states what must hold. It is parsed with Python's ``ast`` and evaluated
over a whitelist of nodes, so a form file can never run code.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

ROW = re.compile(r"(prev)?\[(\d-\d\d)\]")


class ExpressionError(ValueError):
    pass


class MissingPrevious(LookupError):
    """The rule needs last year's accepted return, which does not exist: it is not applied."""


@dataclass(frozen=True)
class Rule:
    text: str
    condition: ast.expr | None
    claim: ast.expr
    rows: tuple[str, ...]  # rows of this return the rule reads
    uses_prev: bool


_ALLOWED = (ast.Expression, ast.Compare, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Call, ast.Name, ast.Load,
            ast.Constant, ast.Add, ast.Sub, ast.USub, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE,
            ast.And, ast.Or, ast.Not)
_FUNCS = {"v", "prev", "abs"}


def _to_python(text: str) -> str:
    out = ROW.sub(lambda m: f'{"prev" if m.group(1) else "v"}("{m.group(2)}")', text)
    return re.sub(r"(?<![<>=!])=(?!=)", "==", out)


def _parse(text: str) -> ast.expr:
    try:
        tree = ast.parse(_to_python(text.strip()), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"校验式“{text}”无法解析：{exc.msg}") from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise ExpressionError(f"校验式“{text}”含有不允许的写法（{type(node).__name__}）")
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id in _FUNCS):
            raise ExpressionError(f"校验式“{text}”只能调用 abs()")
        if isinstance(node, ast.Name) and node.id not in _FUNCS:
            raise ExpressionError(f"校验式“{text}”含有未知名称“{node.id}”")
        if isinstance(node, ast.Constant) and not isinstance(node.value, int | float | str):
            raise ExpressionError(f"校验式“{text}”含有不允许的常量")
    return tree.body


def parse(text: str) -> Rule:
    condition_text, arrow, claim_text = text.partition("->")
    if not arrow:
        condition_text, claim_text = "", text
    rows = tuple(dict.fromkeys(m.group(2) for m in ROW.finditer(text) if not m.group(1)))
    return Rule(text, _parse(condition_text) if condition_text.strip() else None, _parse(claim_text), rows,
                "prev[" in text)


Lookup = Callable[[str], Decimal]


def _eval(node: ast.expr, v: Lookup, prev: Lookup) -> object:
    match node:
        case ast.Constant(value=value):
            return Decimal(str(value))
        case ast.Call(func=ast.Name(id=name), args=[ast.Constant(value=str(code))]) if name in ("v", "prev"):
            return (v if name == "v" else prev)(code)
        case ast.Call(func=ast.Name(id="abs"), args=[arg]):
            return abs(_eval(arg, v, prev))  # type: ignore[arg-type]
        case ast.UnaryOp(op=ast.USub(), operand=operand):
            return -_eval(operand, v, prev)  # type: ignore[operator]
        case ast.UnaryOp(op=ast.Not(), operand=operand):
            return not _eval(operand, v, prev)
        case ast.BinOp(left=left, op=op, right=right):
            a, b = _eval(left, v, prev), _eval(right, v, prev)
            return a + b if isinstance(op, ast.Add) else a - b  # type: ignore[operator]
        case ast.BoolOp(op=op, values=values):
            results = [bool(_eval(x, v, prev)) for x in values]
            return all(results) if isinstance(op, ast.And) else any(results)
        case ast.Compare(left=left, ops=ops, comparators=comparators):
            current: Any = _eval(left, v, prev)
            for cmp, right in zip(ops, comparators, strict=True):
                other: Any = _eval(right, v, prev)
                ok = {ast.Eq: current == other, ast.NotEq: current != other, ast.Lt: current < other,
                      ast.LtE: current <= other, ast.Gt: current > other, ast.GtE: current >= other}[type(cmp)]
                if not ok:
                    return False
                current = other
            return True
    raise ExpressionError(f"无法计算 {ast.dump(node)}")


def holds(rule: Rule, v: Lookup, prev: Lookup) -> bool:
    """True when the rule holds (an implication whose condition is false holds)."""
    if rule.condition is not None and not _eval(rule.condition, v, prev):
        return True
    return bool(_eval(rule.claim, v, prev))
