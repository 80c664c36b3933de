"""Opens the MLflow UI screens of a deepad4j run and sweep in headless Chromium, saves one PNG per screen
and asserts on each page's text. Run by tools/ui-screenshots.sh, which starts the server and the runs.

  python tools/ui_screenshots.py --tracking-uri http://127.0.0.1:5000 --experiment ui-shots \
      --run-name ui-ae --sweep-name ui_sweep --out outputs/ui-screenshots

What each screen must show is read from the tracking server's REST API first (the run's data sets and
digests, its logged model, the sweep's parent and children, the features of the data set's schema), so
the page is checked against what deepad4j logged, not against numbers written here. Nothing depends on
pixel positions: the checks read the page's text (document.body.innerText, or one table row found by its
run id) and wait for it, up to --timeout seconds per screen. Exit code 0 when every check passed, 1 when
one failed (the message names the screen, what was missing and the PNG taken at that moment), 2 when the
server does not hold the runs expected.
"""

import argparse
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

# MLflow 3.17 keeps these UI settings in the browser's localStorage (key_v1, JSON values). The GenAI /
# Model training switch decides the side bar and where an experiment opens (3.17 ignores the experiment's
# mlflow.experimentKind tag for that); the assistant panel opens by itself on a first visit and would
# cover the right third of every screen.
UI_SETTINGS = {
    "mlflow.workflowType_v1": json.dumps("machine_learning"),
    "mlflow.assistant.panelOpen_v1": "false",
    "mlflow.assistant.fab.autoOpenedOnFirstLoad_v1": "true",
}
ML = "workflowType=machine_learning"


class CheckFailed(Exception):
    pass


def die(message):
    """The server lacks what the screens are about (exit 2): no page was opened."""
    print(message, file=sys.stderr)
    sys.exit(2)


class Rest:
    """The few MLflow REST calls needed to know what the pages must show."""

    def __init__(self, uri):
        self.uri = uri.rstrip("/")

    def call(self, path, body=None):
        url = f"{self.uri}/api/2.0/mlflow/{path}"
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return json.load(resp)
        except urllib.error.HTTPError as e:
            die(f"error: {url}: HTTP {e.code} {e.read().decode(errors='replace')[:300]}")
        except urllib.error.URLError as e:
            die(f"error: cannot reach the MLflow server at {self.uri}: {e.reason}")

    def experiment(self, name):
        q = urllib.parse.urlencode({"experiment_name": name})
        return self.call(f"experiments/get-by-name?{q}")["experiment"]

    def runs(self, experiment_id, filter_string):
        return self.call("runs/search", {"experiment_ids": [experiment_id], "filter": filter_string,
                                         "max_results": 100}).get("runs", [])

    def logged_model(self, model_id):
        return self.call(f"logged-models/{model_id}")["model"]


def tags(run):
    return {t["key"]: t["value"] for t in run["data"].get("tags", [])}


def metric(run, key):
    for m in run["data"].get("metrics", []):
        if m["key"] == key:
            return m["value"]
    die(f"error: run {run['info']['run_name']} has no metric {key}")


def js_number(value):
    """A float as the UI prints it (JavaScript's shortest round-trip form, like Python's repr)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def inputs_by_context(run):
    """The run's data set inputs by their mlflow.data.context tag (train, validation, test)."""
    found = {}
    for di in run.get("inputs", {}).get("dataset_inputs", []):
        context = {t["key"]: t["value"] for t in di.get("tags", [])}.get("mlflow.data.context")
        found[context] = di["dataset"]
    return found


def feature_names(dataset):
    schema = json.loads(dataset.get("schema") or "{}")
    return [c["name"] for c in schema.get("mlflow_colspec", [])]


class Browser:
    def __init__(self, args):
        options = webdriver.ChromeOptions()
        options.binary_location = args.chromium
        for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                  f"--window-size={args.width},{args.height}", "--hide-scrollbars", "--lang=en-US"):
            options.add_argument(a)
        self.driver = webdriver.Chrome(service=Service(args.chromedriver), options=options)
        self.base = args.tracking_uri.rstrip("/") + "/"
        self.timeout = args.timeout
        self.out = args.out
        self.shots = []

    def start(self, settings):
        # localStorage belongs to the origin: set it on the server's page, then load the app afresh
        self.driver.get(self.base)
        script = "".join(f"localStorage.setItem({json.dumps(k)}, {json.dumps(v)});" for k, v in settings.items())
        self.driver.execute_script(script)

    def open(self, route):
        # a new hash on the same document is only a client-side navigation: reload so that the app
        # starts on this page with the settings above, as a person opening the link would
        self.driver.get(self.base + "#" + route)
        self.driver.refresh()

    def text(self):
        return self.driver.execute_script("return document.body ? document.body.innerText : ''")

    def shot(self, name):
        path = f"{self.out}/{name}.png"
        self.driver.save_screenshot(path)
        return path

    def wait_for(self, screen, what, probe):
        """Polls probe() (a list of (label, ok) pairs) until every ok holds or the timeout passes."""
        end = time.monotonic() + self.timeout
        while True:
            try:
                results = probe()
            except WebDriverException:
                results = [(what, False)]
            missing = [label for label, ok in results if not ok]
            if not missing:
                return
            if time.monotonic() > end:
                png = self.shot(f"FAILED-{screen}")
                raise CheckFailed(f"{screen}: after {self.timeout} s the page still lacks {what}: "
                                  + "; ".join(missing) + f"\n  page: {self.driver.current_url}\n  screenshot: {png}")
            time.sleep(0.5)

    def expect_text(self, screen, snippets):
        self.wait_for(screen, "text", lambda: [(repr(s), s in t) for t in [self.text()] for s in snippets])

    def row_text(self, run_id):
        rows = self.driver.find_elements(By.CSS_SELECTOR, f'[role="row"][row-id="{run_id}"]')
        return " ".join(r.text for r in rows)

    def click_text(self, screen, text):
        def probe():
            found = self.driver.find_elements(By.XPATH, f"//*[normalize-space(text())={json.dumps(text)}]")
            if found:
                found[0].click()
            return [(f"an element reading {text!r}", bool(found))]
        self.wait_for(screen, "a click target", probe)

    def save(self, screen, checked):
        path = self.shot(screen)
        self.shots.append((path, checked))
        print(f"ok  {path}: {checked}", flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tracking-uri", required=True)
    p.add_argument("--experiment", required=True)
    p.add_argument("--run-name", required=True, help="the single run's name")
    p.add_argument("--sweep-name", required=True, help="the sweep file's name (the trials' name prefix)")
    p.add_argument("--out", default="outputs/ui-screenshots")
    p.add_argument("--chromium", default="/usr/bin/chromium")
    p.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    p.add_argument("--timeout", type=float, default=60, help="seconds to wait for one screen's text")
    p.add_argument("--width", type=int, default=1680)
    p.add_argument("--height", type=int, default=1050)
    p.add_argument("--compare-height", type=int, default=2200, help="window height for the compare view")
    args = p.parse_args()

    # what the pages must show, from the server
    rest = Rest(args.tracking_uri)
    exp = rest.experiment(args.experiment)
    eid = exp["experiment_id"]
    singles = rest.runs(eid, f"tags.`mlflow.runName` = '{args.run_name}'")
    if len(singles) != 1:
        die(f"error: expected one run named {args.run_name} in {args.experiment}, found {len(singles)}")
    run = singles[0]
    run_id = run["info"]["run_id"]
    data = inputs_by_context(run)
    if "train" not in data or "test" not in data:
        die(f"error: run {args.run_name} has no train and test data set inputs: {sorted(data)}")
    train, test = data["train"], data["test"]
    features = feature_names(train)
    if not features:
        die(f"error: the train data set {train['name']} has no column schema")
    outputs = run.get("outputs", {}).get("model_outputs", [])
    if len(outputs) != 1:
        die(f"error: run {args.run_name} should have one logged model, has {len(outputs)}")
    model = rest.logged_model(outputs[0]["model_id"])
    model_id, model_name = model["info"]["model_id"], model["info"]["name"]
    roc_auc = js_number(metric(run, "roc_auc"))

    children = rest.runs(eid, f"tags.`mlflow.runName` LIKE '{args.sweep_name} %'")
    parents = {tags(c).get("mlflow.parentRunId") for c in children}
    if len(children) < 2 or len(parents) != 1 or None in parents:
        die(f"error: expected the trials of sweep {args.sweep_name} as child runs of one parent, "
                         f"found {len(children)} runs with parents {parents}")
    parent_id = parents.pop()
    children.sort(key=lambda c: c["info"]["run_name"])
    child_names = [c["info"]["run_name"] for c in children]
    child_ids = [c["info"]["run_id"] for c in children]
    # the swept keys: the params whose values differ among the trials
    params = [{p["key"]: p["value"] for p in c["data"].get("params", [])} for c in children]
    swept = sorted(k for k in params[0] if k != "run_name" and len({ps.get(k) for ps in params}) > 1)
    if not swept:
        die(f"error: the trials of {args.sweep_name} do not differ in any param")

    b = Browser(args)
    try:
        # the runs table's columns: MLflow's defaults plus roc_auc and the swept params, as a person would
        # pick them in Columns (the table state MLflow keeps per experiment; a format it does not know
        # only leaves its default columns, and the checks below do not depend on these)
        columns = ["attributes.`Source`", "attributes.`Models`", "attributes.`Dataset`", "metrics.`roc_auc`",
                   *(f"params.`{k}`" for k in swept)]
        table = {f'MLflowLocalStorage-1.1-ExperimentPage-{json.dumps([eid])}-ReactComponentState':
                 json.dumps({"selectedColumns": columns})}
        b.start({**UI_SETTINGS, **table})

        s = "01-run-overview"
        b.open(f"/experiments/{eid}/runs/{run_id}?{ML}")
        b.expect_text(s, [args.run_name, "Overview", "Model metrics", "System metrics", "roc_auc", roc_auc,
                          f"{train['name']} ({train['digest']})", "system/cpu_utilization_percentage", model_name])
        b.save(s, f"run {args.run_name}: roc_auc {roc_auc}, data set {train['name']} ({train['digest']}), "
                  f"system metrics, logged model {model_name}")

        s = "02-logged-model"
        b.open(f"/experiments/{eid}/models/{model_id}?{ML}")
        b.expect_text(s, [model_name, "Ready", model_id, "Source run", args.run_name,
                          f"{test['name']} (#{test['digest']})", "roc_auc", roc_auc])
        b.save(s, f"logged model {model_name} ({model_id}): Ready, source run {args.run_name}, "
                  f"roc_auc {roc_auc} linked to {test['name']} (#{test['digest']})")

        s = "03-logged-model-schema"
        b.open(f"/experiments/{eid}/models/{model_id}/artifacts?{ML}")
        b.click_text(s, "MLmodel")
        n = len(features)
        b.expect_text(s, ["signature:", '"name":"x"', f'"dtype":"float32","shape":[-1,{n}]', '"name":"score"',
                          "input_example.json", "deepad4j_features: " + ",".join(features[:3])])
        b.save(s, f"the logged model's MLmodel: signature input x float32 [-1,{n}], output score, "
                  f"input example, deepad4j_features {','.join(features[:3])},...")

        s = "04-run-model-schema"
        b.open(f"/experiments/{eid}/runs/{run_id}/artifacts/model?{ML}")
        b.expect_text(s, ["MLflow Model", "Model schema", "Inputs (1)", "x (required)",
                          f"Tensor (dtype: float32, shape: [-1,{n}])", "Outputs (1)", "score (required)"])
        b.save(s, f"the run's model/ artifact: Model schema table, x (required) float32 [-1,{n}], score (required)")

        s = "05-runs-table-dataset"
        b.open(f"/experiments/{eid}/runs?{ML}")
        b.expect_text(s, ["Run Name", "Dataset", args.run_name])
        want = [f"{train['name']} ({train['digest']})", "Train"]
        b.wait_for(s, f"the Dataset cell of run {args.run_name}",
                   lambda: [(f"{w!r} in the row of {args.run_name}", w in t) for t in [b.row_text(run_id)] for w in want])
        b.save(s, f"runs table: the Dataset column of {args.run_name} shows {train['name']} ({train['digest']}) Train")

        s = "06-sweep-nested"
        # the trials are hidden under their parent until it is expanded: first they must be absent ...
        b.wait_for(s, "the sweep's parent row", lambda: [(f"row {parent_id}", bool(b.row_text(parent_id)))])
        shown = [name for name, cid in zip(child_names, child_ids) if b.row_text(cid)]
        if shown:
            raise CheckFailed(f"{s}: trials shown as top-level rows before their parent is expanded: {shown}")
        # ... then the parent's expand button (the button in its Run Name cell) shows them
        buttons = b.driver.find_elements(
            By.CSS_SELECTOR, f'[role="row"][row-id="{parent_id}"] [col-id="attributes.`Run Name`"] button')
        if not buttons:
            raise CheckFailed(f"{s}: the sweep's parent run {parent_id} has no expand button in its Run Name cell")
        buttons[0].click()
        b.wait_for(s, "the trials under their parent",
                   lambda: [(f"row of {name}", name in b.row_text(cid)) for name, cid in zip(child_names, child_ids)])
        order = b.driver.execute_script(
            "return Array.from(document.querySelectorAll('[role=row][row-id]'))"
            ".filter(r => r.closest('.ag-center-cols-container'))"
            ".sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)"
            ".map(r => r.getAttribute('row-id'))")
        if parent_id not in order:
            raise CheckFailed(f"{s}: the parent row {parent_id} is not among the table's rows {order}")
        after = order[order.index(parent_id) + 1: order.index(parent_id) + 1 + len(child_ids)]
        if sorted(after) != sorted(child_ids):
            raise CheckFailed(f"{s}: the rows right below the parent are {after}, not its trials {child_ids}")
        b.save(s, f"the sweep's parent expanded, its {len(child_ids)} trials below it: {', '.join(child_names)}")

        s = "07-compare-trials"
        route = ("/compare-runs?runs=" + urllib.parse.quote(json.dumps(child_ids))
                 + "&experiments=" + urllib.parse.quote(json.dumps([eid])) + "&" + ML)
        # a tall window: the page scrolls inside the app, so the plot, run details and params fit one PNG
        b.driver.set_window_size(args.width, args.compare_height)
        b.open(route)
        values = [ps[k] for ps in params for k in swept]
        b.expect_text(s, [f"Comparing {len(child_ids)} Runs", "Parallel Coordinates Plot", "Run details",
                          "Parameters", "Metrics", "roc_auc", *child_names, *swept])
        # the parallel coordinates plot (Plotly) drawn, then only the params that differ shown
        b.wait_for(s, "the plot", lambda: [("a Plotly chart", bool(
            b.driver.find_elements(By.CSS_SELECTOR, ".js-plotly-plot .main-svg")))])
        b.click_text(s, "Show diff only")
        b.expect_text(s, [*child_names, *swept, *values])
        b.save(s, f"compare view of the {len(child_ids)} trials: their names, params {', '.join(swept)} "
                  f"({', '.join(values)}), roc_auc among the metrics")
    except CheckFailed as e:
        print(f"FAILED {e}", file=sys.stderr)
        return 1
    finally:
        b.driver.quit()

    print(f"{len(b.shots)} screens checked, PNGs in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
