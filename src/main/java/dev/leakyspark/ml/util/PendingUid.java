package dev.leakyspark.ml.util;

/**
 * A uid on its way into a Java subclass of one of MLlib's Scala stage classes. Their constructors
 * make the inherited params (featuresCol, thresholds, ...), and each param asks the stage for
 * {@code uid()}, before a Java constructor could set its own field. The subclass's public
 * constructor hands the uid here, and its {@code uid()} answers from here until the field is set:
 *
 * <pre>{@code
 * public MyClassifier(String uid) { this(PendingUid.of(uid)); }
 * private MyClassifier(PendingUid pending) { this.uid = pending.take(); }
 * public String uid() { return uid != null ? uid : PendingUid.current(); }
 * }</pre>
 */
public final class PendingUid {

  private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

  private final String uid;

  private PendingUid(String uid) {
    this.uid = uid;
  }

  /** Makes {@code uid} the one this thread's next stage construction answers with. */
  public static PendingUid of(String uid) {
    if (uid == null || uid.isEmpty()) {
      throw new IllegalArgumentException("a stage's uid must not be empty");
    }
    CURRENT.set(uid);
    return new PendingUid(uid);
  }

  /** The uid of the stage this thread is constructing. */
  public static String current() {
    String uid = CURRENT.get();
    if (uid == null) {
      throw new IllegalStateException("no stage is being constructed on this thread");
    }
    return uid;
  }

  /** Ends the construction: the uid, for the stage's own field. */
  public String take() {
    CURRENT.remove();
    return uid;
  }
}
