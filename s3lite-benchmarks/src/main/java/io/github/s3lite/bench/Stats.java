package io.github.s3lite.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Samples of one figure, with the median, extremes and percentiles the report shows.
 *
 * @param values the samples, sorted
 */
record Stats(List<Double> values) {

	static Stats of(List<Double> samples) {
		List<Double> sorted = new ArrayList<>(samples);
		Collections.sort(sorted);
		return new Stats(List.copyOf(sorted));
	}

	int count() {
		return this.values.size();
	}

	double median() {
		return percentile(50);
	}

	double min() {
		return this.values.isEmpty() ? Double.NaN : this.values.get(0);
	}

	double max() {
		return this.values.isEmpty() ? Double.NaN : this.values.get(this.values.size() - 1);
	}

	/**
	 * Nearest-rank percentile.
	 * @param p the percentile, 0-100
	 * @return the value
	 */
	double percentile(double p) {
		if (this.values.isEmpty()) {
			return Double.NaN;
		}
		int rank = (int) Math.ceil(p / 100.0 * this.values.size());
		return this.values.get(Math.max(0, Math.min(this.values.size() - 1, rank - 1)));
	}

}
