package io.switchboard.scim.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.switchboard.scim.ScimException;
import java.math.BigDecimal;

/**
 * The SCIM filter parser (RFC 7644 §3.4.2.2): recursive descent with bounded length and nesting, so
 * hostile input ends in 400 {@code invalidFilter}, never a stack overflow. Errors give a 0-based
 * character position and a reason, never the offending value (it may be PII).
 *
 * <p>Tolerances real IdPs need: keywords, operators and {@code true/false/null} in any case,
 * unquoted values ({@code externalId eq jyoung}), a sub-attribute after a value filter ({@code
 * emails[type eq "work"].value eq "x"}).
 *
 * <p>Usage: {@code Filter f = ScimFilter.parse("userName eq \"bjensen\" and active eq true");}
 */
public final class ScimFilter {
  public static final int MAX_LENGTH = 4096;
  public static final int MAX_DEPTH = 50;

  private final String s;
  private int pos;
  private int depth;
  private boolean inValuePath;

  private ScimFilter(String s) {
    this.s = s;
  }

  public static Filter parse(String text) {
    if (text == null || text.isBlank()) {
      throw ScimException.invalidFilter("The filter is empty.");
    }
    if (text.length() > MAX_LENGTH) {
      throw ScimException.invalidFilter("The filter is longer than " + MAX_LENGTH + " characters.");
    }
    ScimFilter p = new ScimFilter(text);
    Filter f = p.parseOr();
    p.skipWs();
    if (p.pos < p.s.length()) {
      throw p.error("unexpected '" + p.s.charAt(p.pos) + "' after a complete expression");
    }
    return f;
  }

  /** Parses the inner filter of a PATCH path's value selection; paths are relative. */
  public static Filter parseValueFilter(String text) {
    if (text == null || text.isBlank()) {
      throw ScimException.invalidFilter("The value filter is empty.");
    }
    if (text.length() > MAX_LENGTH) {
      throw ScimException.invalidFilter("The filter is longer than " + MAX_LENGTH + " characters.");
    }
    ScimFilter p = new ScimFilter(text);
    p.inValuePath = true;
    Filter f = p.parseOr();
    p.skipWs();
    if (p.pos < p.s.length()) {
      throw p.error("unexpected '" + p.s.charAt(p.pos) + "' after a complete expression");
    }
    return f;
  }

  private Filter parseOr() {
    Filter left = parseAnd();
    while (true) {
      int save = pos;
      skipWs();
      if (keyword("or")) {
        left = new Filter.Or(left, parseAnd());
      } else {
        pos = save;
        return left;
      }
    }
  }

  private Filter parseAnd() {
    Filter left = parseUnary();
    while (true) {
      int save = pos;
      skipWs();
      if (keyword("and")) {
        left = new Filter.And(left, parseUnary());
      } else {
        pos = save;
        return left;
      }
    }
  }

  private Filter parseUnary() {
    skipWs();
    if (++depth > MAX_DEPTH) {
      throw error("the filter is nested deeper than " + MAX_DEPTH + " levels");
    }
    try {
      if (pos >= s.length()) {
        throw error("the filter ends where an expression was expected");
      }
      char c = s.charAt(pos);
      if (c == '(') {
        pos++;
        Filter inner = parseOr();
        expect(')');
        return inner;
      }
      if (keyword("not")) {
        skipWs();
        if (pos < s.length() && s.charAt(pos) == '(') {
          pos++;
          Filter inner = parseOr();
          expect(')');
          return new Filter.Not(inner);
        }
        throw error("'not' must be followed by '('");
      }
      return parseAttrExp();
    } finally {
      depth--;
    }
  }

  private Filter parseAttrExp() {
    int start = pos;
    String word = readPathWord();
    if (word.isEmpty()) {
      if (pos < s.length()) {
        throw error("expected an attribute name but found '" + s.charAt(pos) + "'");
      }
      throw error("the filter ends where an attribute name was expected");
    }
    AttrPath path = attrPath(word, start);
    if (pos < s.length() && s.charAt(pos) == '[') {
      if (inValuePath) {
        throw error("a value filter cannot contain another value filter");
      }
      if (path.subAttribute() != null) {
        throw errorAt(start, "a value filter applies to an attribute, not a sub-attribute");
      }
      pos++;
      inValuePath = true;
      Filter inner;
      try {
        inner = parseOr();
      } finally {
        inValuePath = false;
      }
      expect(']');
      if (pos < s.length() && s.charAt(pos) == '.') {
        pos++;
        int subStart = pos;
        String sub = readPathWord();
        if (!AttrPath.isAttrName(sub)) {
          throw errorAt(subStart, "expected a sub-attribute name after '].'");
        }
        Filter tail = parseOperation(AttrPath.of(sub));
        return new Filter.ValuePath(path, new Filter.And(inner, tail));
      }
      return new Filter.ValuePath(path, inner);
    }
    if (inValuePath && (path.schemaUrn() != null || path.subAttribute() != null)) {
      throw errorAt(start, "inside a value filter, name a sub-attribute only");
    }
    return parseOperation(path);
  }

  private Filter parseOperation(AttrPath path) {
    if (pos < s.length() && !Character.isWhitespace(s.charAt(pos))) {
      throw error("expected whitespace and an operator after the attribute path");
    }
    skipWs();
    int opStart = pos;
    while (pos < s.length() && Character.isLetter(s.charAt(pos))) {
      pos++;
    }
    String opWord = s.substring(opStart, pos);
    if (opWord.isEmpty()) {
      throw errorAt(opStart, "expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr)");
    }
    if (opWord.equalsIgnoreCase("pr")) {
      requireDelimiter(opStart, "operator");
      return new Filter.Present(path);
    }
    Operator op =
        Operator.fromKeyword(opWord)
            .orElseThrow(
                () ->
                    errorAt(
                        opStart,
                        "unknown operator; expected eq, ne, co, sw, ew, gt, ge, lt, le or pr"));
    requireDelimiter(opStart, "operator");
    skipWs();
    JsonNode literal = parseLiteral();
    return new Filter.Comparison(path, op, literal);
  }

  private JsonNode parseLiteral() {
    if (pos >= s.length()) {
      throw error("the filter ends where a value was expected");
    }
    char c = s.charAt(pos);
    if (c == '"') {
      return TextNode.valueOf(readString());
    }
    if (c == '(' || c == ')' || c == '[' || c == ']') {
      throw error("expected a value but found '" + c + "'");
    }
    int start = pos;
    while (pos < s.length()) {
      char d = s.charAt(pos);
      if (Character.isWhitespace(d) || d == ')' || d == ']' || d == '(' || d == '[') {
        break;
      }
      if (d == '"') {
        throw error("a quote inside an unquoted value");
      }
      pos++;
    }
    String word = s.substring(start, pos);
    if (word.equalsIgnoreCase("true")) {
      return BooleanNode.TRUE;
    }
    if (word.equalsIgnoreCase("false")) {
      return BooleanNode.FALSE;
    }
    if (word.equalsIgnoreCase("null")) {
      return NullNode.getInstance();
    }
    if (isNumber(word)) {
      BigDecimal d;
      try {
        d = new BigDecimal(word);
      } catch (NumberFormatException e) {
        // the grammar matched but the exponent does not fit an int (found by fuzzing: 1e9999999999)
        throw error("a number out of range");
      }
      if (d.scale() <= 0
          && word.indexOf('.') < 0
          && word.indexOf('e') < 0
          && word.indexOf('E') < 0) {
        try {
          return LongNode.valueOf(d.longValueExact());
        } catch (ArithmeticException e) {
          return DecimalNode.valueOf(d);
        }
      }
      return DecimalNode.valueOf(d);
    }
    // RFC 7644 wants quotes; Entra sometimes sends externalId eq jyoung.
    return TextNode.valueOf(word);
  }

  private static boolean isNumber(String w) {
    return w.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?") && w.length() <= 100;
  }

  private String readString() {
    int start = pos;
    pos++; // opening quote
    StringBuilder b = new StringBuilder();
    while (pos < s.length()) {
      char c = s.charAt(pos++);
      if (c == '"') {
        return b.toString();
      }
      if (c == '\\') {
        if (pos >= s.length()) {
          break;
        }
        char e = s.charAt(pos++);
        switch (e) {
          case '"' -> b.append('"');
          case '\\' -> b.append('\\');
          case '/' -> b.append('/');
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'n' -> b.append('\n');
          case 'r' -> b.append('\r');
          case 't' -> b.append('\t');
          case 'u' -> {
            if (pos + 4 > s.length()) {
              throw errorAt(pos - 2, "an incomplete \\u escape in a string");
            }
            try {
              b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
            } catch (NumberFormatException ex) {
              throw errorAt(pos - 2, "an invalid \\u escape in a string");
            }
            pos += 4;
          }
          default -> throw errorAt(pos - 2, "an invalid escape in a string");
        }
      } else {
        b.append(c);
      }
    }
    throw errorAt(start, "a string is not terminated");
  }

  private String readPathWord() {
    int start = pos;
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (Character.isLetterOrDigit(c)
          || c == ':'
          || c == '.'
          || c == '_'
          || c == '-'
          || c == '$') {
        pos++;
      } else {
        break;
      }
    }
    return s.substring(start, pos);
  }

  private AttrPath attrPath(String word, int start) {
    if (word.endsWith(".")) {
      throw errorAt(start, "an attribute path cannot end with '.'");
    }
    try {
      return AttrPath.parse(word);
    } catch (IllegalArgumentException e) {
      throw errorAt(start, e.getMessage());
    }
  }

  private boolean keyword(String kw) {
    if (!s.regionMatches(true, pos, kw, 0, kw.length())) {
      return false;
    }
    int end = pos + kw.length();
    if (end < s.length()) {
      char next = s.charAt(end);
      if (!(Character.isWhitespace(next) || next == '(')) {
        return false;
      }
    } else {
      // 'and' at the very end: consume it so the caller reports a missing operand.
      pos = end;
      return true;
    }
    pos = end;
    return true;
  }

  private void requireDelimiter(int start, String what) {
    if (pos < s.length()) {
      char c = s.charAt(pos);
      if (!(Character.isWhitespace(c) || c == ')' || c == ']')) {
        throw errorAt(start, "unknown " + what);
      }
    }
  }

  private void expect(char c) {
    skipWs();
    if (pos >= s.length()) {
      throw error("missing '" + c + "'");
    }
    if (s.charAt(pos) != c) {
      throw error("expected '" + c + "' but found '" + s.charAt(pos) + "'");
    }
    pos++;
  }

  private void skipWs() {
    while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
      pos++;
    }
  }

  private ScimException error(String reason) {
    return errorAt(pos, reason);
  }

  private static ScimException errorAt(int position, String reason) {
    return ScimException.invalidFilter(
        "Invalid filter at position " + position + ": " + reason + ".");
  }
}
