package dev.leakyspark.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A test of how fits behave over many iterations (bit-identical layouts, resumed fits, accuracy
 * on hard data) rather than of the Spark API a line offers: the default line, 3.5, runs it, and
 * the 4.x lines leave it out ({@code excludedGroups} {@value #TAG} in their Maven profiles).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Tag(LongFit.TAG)
@Test
public @interface LongFit {
  String TAG = "long-fit";
}
