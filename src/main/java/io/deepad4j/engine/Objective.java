package io.deepad4j.engine;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * One loss minimised by its own Adam optimizer over its own variables. A plain model has one
 * objective over all its variables; a GAN has one for the discriminator and one for the
 * generator (and encoder). All objectives of a step are computed before any variable changes.
 *
 * @param name name of the loss in the history and in MLflow (e.g. "loss", "d_loss", "g_loss")
 * @param loss scalar loss of one batch
 * @param variables the variables this objective trains
 * @param optimizer the Adam settings of this objective
 */
public record Objective(
    String name, Operand<TFloat32> loss, List<Variable<TFloat32>> variables, AdamConfig optimizer) {}
