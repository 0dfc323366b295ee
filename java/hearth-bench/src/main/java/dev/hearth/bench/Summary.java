package dev.hearth.bench;

import java.util.Arrays;
import java.util.List;

/** Median and range of repeated measurements. */
record Summary(double median, double min, double max) {
    static Summary of(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return new Summary(median, v[0], v[v.length - 1]);
    }

    String format() {
        return String.format("%8.1f (%.1f-%.1f)", median, min, max);
    }

    @Override
    public String toString() {
        return format() + " " + Arrays.toString(new double[] {median, min, max});
    }
}
