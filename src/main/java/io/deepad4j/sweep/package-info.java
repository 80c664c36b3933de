/**
 * Hyperparameter sweeps and run comparison.
 *
 * <p><b>Flow.</b> {@link io.deepad4j.sweep.SweepFileParser} reads a sweep file (docs/SPECS.md, sweep files: {@code base:}
 * and {@code sweep:} with method, samples, repeats, parallel, objective, seed, params) into a
 * {@link io.deepad4j.sweep.SweepConfig}; {@link io.deepad4j.sweep.CommandLineSweep} makes one from
 * {@code --sweep key=a,b}. {@link io.deepad4j.sweep.SweepPlanner} expands it into
 * {@link io.deepad4j.sweep.Trial}s (grid: every combination, the last key fastest; random: distinct draws
 * from {@code SplittableRandom(seed)}; each point times {@code repeats} seeds) and validates every
 * trial's spec with the SpecLoader before anything runs. {@link io.deepad4j.sweep.SweepRunner} runs them
 * on {@code parallel} threads, TensorFlow threads per trial = cores / parallel.
 *
 * <p><b>Sweep folder</b> ({@link io.deepad4j.sweep.SweepFolder}), outputs/sweeps/&lt;name&gt;-&lt;stamp&gt;/:
 * sweep.yaml (the file as run), state.json (base spec, overrides, MLflow parent run id), trials.jsonl
 * (a line per ended trial: hash, params, seed, status, metrics, run folder, MLflow run id, error) and
 * summary.csv (a row per point, best first: params, objective mean and std over the seeds, n, run
 * folders) and runs/ (the trials' run folders, runs/&lt;experiment&gt;/&lt;run&gt;-&lt;stamp&gt;/). A trial is identified by {@link io.deepad4j.sweep.TrialHash} of its resolved spec, so
 * {@code --resume} reruns exactly the trials whose latest line is not FINISHED.
 *
 * <p><b>MLflow.</b> One parent run per sweep (run name = the sweep folder's name; params
 * {@code sweep.*}: method, repeats, objective, the search space; tags deepad4j.sweep_file,
 * deepad4j.sweep_parent=true) and one child run per trial (tag mlflow.parentRunId, plus deepad4j.sweep,
 * deepad4j.sweep_trial, deepad4j.sweep_point). When the sweep ends the parent gets tags
 * {@code best.<key>} (tags, since a resumed sweep may find a better point and params cannot change),
 * {@code best.run_ids}, metrics {@code best_<objective>} (and {@code _std} with repeats),
 * {@code trials_finished}, {@code trials_failed}, and the sweep folder's files as artifacts.
 */
package io.deepad4j.sweep;
