package io.deepad4j.spec;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares one hyperparameter where it lives: on a component of a model's configuration record.
 * The spec key is the component's name in snake_case ({@code latentDim} is {@code model.latent_dim}),
 * its type the component's type (int, double, boolean, an enum = a choice of its constants in lower
 * case, {@code List<Integer>}); the annotation gives the default, the bounds and the line of
 * documentation. {@link ConfigRecords} derives from it the spec schema ({@link Field}s: validation,
 * {@code ./runner keys}, defaults, MLflow params) and builds the record from a resolved spec, so
 * adding a key is adding one annotated component. A component whose type is itself a record
 * without this annotation is flattened: its keys sit beside the others (shared training keys).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Param {
  /** The default as it would be written in a spec: {@code 2}, {@code 0.001}, {@code [15, 7]}, {@code relu}, {@code true}. */
  String value();

  /** What the key does, one line. */
  String doc();

  /** Smallest allowed value (numbers, and each element of an integer list). */
  double min() default -Double.MAX_VALUE;

  /** Largest allowed value. */
  double max() default Double.MAX_VALUE;
}
