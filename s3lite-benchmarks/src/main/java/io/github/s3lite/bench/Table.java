package io.github.s3lite.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One section of the report: a heading, a table and notes, printed as text and as Markdown.
 */
final class Table {

	private final String title;

	private final List<String> headers;

	private final List<List<String>> rows = new ArrayList<>();

	private final List<String> notes = new ArrayList<>();

	private int textColumns = 1;

	Table(String title, String... headers) {
		this.title = title;
		this.headers = List.of(headers);
	}

	/**
	 * Set how many leading columns hold text (left-aligned); the others hold figures.
	 * @param count the number of text columns
	 * @return this table
	 */
	Table textColumns(int count) {
		this.textColumns = count;
		return this;
	}

	Table row(String... cells) {
		this.rows.add(List.of(cells));
		return this;
	}

	Table note(String note) {
		this.notes.add(note);
		return this;
	}

	static String num(double value) {
		if (Double.isNaN(value)) {
			return "n/a";
		}
		if (Math.abs(value) >= 100) {
			return String.format(Locale.ROOT, "%,.0f", value);
		}
		if (Math.abs(value) >= 10) {
			return String.format(Locale.ROOT, "%.1f", value);
		}
		return String.format(Locale.ROOT, "%.2f", value);
	}

	static String stats(Stats stats) {
		return num(stats.median()) + " (" + num(stats.min()) + "–" + num(stats.max()) + ", n=" + stats.count() + ")";
	}

	static String ratio(double value) {
		return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.2f×", value);
	}

	String markdown() {
		StringBuilder out = new StringBuilder("### ").append(this.title).append("\n\n");
		out.append("| ").append(String.join(" | ", this.headers)).append(" |\n|");
		for (int i = 0; i < this.headers.size(); i++) {
			out.append((i < this.textColumns) ? "---|" : "---:|");
		}
		out.append('\n');
		for (List<String> row : this.rows) {
			out.append("| ").append(String.join(" | ", row)).append(" |\n");
		}
		out.append('\n');
		for (String note : this.notes) {
			out.append("- ").append(note).append('\n');
		}
		return out.append(this.notes.isEmpty() ? "" : "\n").toString();
	}

	String text() {
		int[] widths = new int[this.headers.size()];
		List<List<String>> all = new ArrayList<>();
		all.add(this.headers);
		all.addAll(this.rows);
		for (List<String> row : all) {
			for (int i = 0; i < row.size() && i < widths.length; i++) {
				widths[i] = Math.max(widths[i], row.get(i).length());
			}
		}
		StringBuilder out = new StringBuilder("== ").append(this.title).append(" ==\n");
		for (List<String> row : all) {
			for (int i = 0; i < row.size() && i < widths.length; i++) {
				String cell = row.get(i);
				String pad = " ".repeat(widths[i] - cell.length());
				out.append((i < this.textColumns) ? cell + pad : pad + cell).append(i + 1 < row.size() ? "  " : "");
			}
			out.append('\n');
		}
		for (String note : this.notes) {
			out.append("  * ").append(note).append('\n');
		}
		return out.toString();
	}

}
