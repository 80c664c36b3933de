"""Loads a deepad4j model logged to MLflow with mlflow.pyfunc and compares its scores with Java's.

    MLFLOW_TRACKING_URI=http://127.0.0.1:5000 python tools/pyfunc_check.py <run_id> outputs/<exp>/<run>
Needs: pip install mlflow tensorflow-cpu (tensorflow is not needed by deepad4j itself; .ci/install-tensorflow.sh).
Every model type works (PCA, OCSVM and the native baselines save a SavedModel too). The automated check is
src/test/java/io/deepad4j/tracking/PyfuncServeTest.java (pyfunc and `mlflow models serve`, every type); this
script is for one run of your own.
It scores the run's test rows (re-built from the model's features is not possible here, so the rows
come from rows.csv written by `--rows`): the CSV has a header with the model's features.
"""
import sys

import mlflow
import numpy as np
import pandas as pd

run_id, rows_csv, java_scores_csv = sys.argv[1], sys.argv[2], sys.argv[3]
model = mlflow.pyfunc.load_model(f"runs:/{run_id}/model")
rows = pd.read_csv(rows_csv).astype(np.float32)
out = model.predict({"x": rows.to_numpy()})
py = np.asarray(out["score"] if isinstance(out, dict) else out).reshape(-1)
java = pd.read_csv(java_scores_csv)["score"].to_numpy()
diff = np.abs(py - java)
print(f"rows={len(py)} max_abs_diff={diff.max():.3g} mean_abs_diff={diff.mean():.3g} "
      f"allclose(rtol=1e-5, atol=1e-7)={np.allclose(py, java, rtol=1e-5, atol=1e-7)}")
