package io.switchboard.cli;

import java.util.ArrayList;
import java.util.List;

/** Plain aligned columns for {@code --output table}. */
final class Table {
  private Table() {}

  static void print(List<String> headers, List<List<String>> rows) {
    List<Integer> widths = new ArrayList<>();
    for (int i = 0; i < headers.size(); i++) {
      int w = headers.get(i).length();
      for (List<String> row : rows) {
        w = Math.max(w, String.valueOf(row.get(i)).length());
      }
      widths.add(w);
    }
    line(headers, widths);
    for (List<String> row : rows) {
      line(row, widths);
    }
  }

  private static void line(List<String> cells, List<Integer> widths) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = String.valueOf(cells.get(i));
      b.append(cell);
      if (i < cells.size() - 1) {
        b.append(" ".repeat(widths.get(i) - cell.length() + 2));
      }
    }
    System.out.println(b.toString().stripTrailing());
  }
}
