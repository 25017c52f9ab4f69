package dev.leakyspark.ml.classification;

/** What a solver returns: the weights, the loss history and the iterations (or epochs) done in all. */
record Training(double[] weights, double[] history, int iterations) {}
