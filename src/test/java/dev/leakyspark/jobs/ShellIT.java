package dev.leakyspark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.testing.JobProcess;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Drives jobs/shell (jshell with a ready session) with a script on stdin, as README shows. */
class ShellIT {

  @Test
  void aScriptTransformsAColumnAndFitsAModel() throws Exception {
    String script = String.join("\n",
        "var df = spark.range(6).selectExpr(\"CAST(id AS DOUBLE) - 3 AS x\");",
        "System.out.println(\"relu=\" + df.select(leakyRelu(col(\"x\"), 0.5)).as(Encoders.DOUBLE()).collectAsList());",
        "System.out.println(\"sql=\" + spark.sql(\"SELECT leaky_relu(-4.0, 0.25)\").first().get(0));",
        "var data = new VectorAssembler().setInputCols(new String[] {\"x\"}).setOutputCol(\"features\")"
            + ".transform(df.selectExpr(\"x\", \"CAST(x >= 0 AS DOUBLE) AS label\"));",
        "var model = new LeakyMLPClassifier().setLayers(new int[] {1, 4, 2}).setMaxIter(50).setSeed(1).fit(data);",
        "System.out.println(\"layers=\" + java.util.Arrays.toString(model.getLayers()) + \" classes=\" + model.numClasses());",
        "/exit",
        "");
    try (JobProcess shell = ItSupport.job("shell", List.of(), script)) {
      assertEquals(0, shell.waitForExit(Duration.ofMinutes(3)), shell.output());
      String out = shell.output();
      // the line under test (pom.xml passes it to the integration tests)
      assertTrue(out.contains("leaky-spark shell: Spark " + System.getenv().getOrDefault("LEAKY_SPARK", "3.5")), out);
      assertTrue(out.contains("relu=[-1.5, -1.0, -0.5, 0.0, 1.0, 2.0]"), out);
      assertTrue(out.contains("sql=-1.0"), out);
      assertTrue(out.contains("layers=[1, 4, 2] classes=2"), out);
    }
  }
}
