package io.deepad4j.sweep;

import io.deepad4j.spec.ResolvedSpec;
import java.util.Map;

/**
 * One run of a sweep: a point of the search space with one seed, as a validated spec.
 *
 * @param number 1-based, in plan order
 * @param point 1-based index of the point (the trials of a point differ only in their seed)
 * @param params the swept keys' values at this point
 * @param hash identifies the trial across resumes: {@link TrialHash#of} of its spec
 */
public record Trial(int number, int point, Map<String, Object> params, long seed, ResolvedSpec spec, String hash) {}
