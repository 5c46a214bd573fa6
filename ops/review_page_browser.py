"""The steward's review page in headless Chromium (selenium + Debian's chromedriver).

Run by ops/test-review-page against `marketmap run --serve` on the bundled
sample: checks that a POST without the token gets 401 and leaves
review_decisions unchanged, signs in with the token, decides a name match
`different` through the preview, presses "Run now", waits for the run, and
checks the two records are in two golden accounts now (database and page).
Exits non-zero with the reason on the first failed check.
"""
import argparse
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

parser = argparse.ArgumentParser()
parser.add_argument("--url", required=True)
parser.add_argument("--token", required=True)
parser.add_argument("--database-url", required=True)
parser.add_argument("--shots", required=True, help="folder for the PNG screenshots")
parser.add_argument("--run-timeout", type=float, default=90)
args = parser.parse_args()


def fail(message):
    print(f"review page check FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)
    print(f"ok: {message}")


def sql(query, *params):
    """One query through psql; rows as lists of text."""
    command = ["psql", args.database_url, "-X", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1"]
    for index, value in enumerate(params, 1):
        command += ["-v", f"p{index}={value}"]
    out = subprocess.run(command, input=query, capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"psql: {out.stderr.strip()}")
    return [line.split("\t") for line in out.stdout.splitlines() if line]


def golden(source, source_id):
    rows = sql("SELECT golden_id FROM account_lineage WHERE source = :'p1' AND source_id = :'p2'", source, source_id)
    return rows[0][0] if rows else None


def find(by, value, seconds=30):
    """The element once the page that follows a click has it."""
    try:
        return WebDriverWait(driver, seconds).until(expected_conditions.presence_of_element_located((by, value)))
    except Exception:
        fail(f"no {value} on {driver.current_url} after {seconds} s:\n{driver.page_source[:3000]}")


def decisions():
    return sql("SELECT row_to_json(d)::text FROM review_decisions d ORDER BY id")


def post_without_token(path, fields):
    """A plain POST with no cookie and no token: the status."""
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(args.url + path, data=data, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


# A name match whose two records the merge joined.
items = sql(
    "SELECT id, a_source, a_id, b_source, b_id FROM review_items WHERE kind = 'name_match' AND b_id IS NOT NULL ORDER BY id LIMIT 1")
check(len(items) == 1, "the sample's merge left a name match to review")
item, a_source, a_id, b_source, b_id = items[0]
before_a, before_b = golden(a_source, a_id), golden(b_source, b_id)
check(before_a is not None and before_a == before_b, f"item {item}: {a_source}/{a_id} and {b_source}/{b_id} are one account ({before_a})")

# Without the token: 401, nothing changes.
form = {"kind": "different", "a_source": a_source, "a_id": a_id, "b_source": b_source, "b_id": b_id, "note": "forged"}
before = decisions()
check(post_without_token(f"/review/items/{item}/decide", form) == 401, "a POST without the token gets 401")
check(post_without_token("/runs", {}) == 401, "run now without the token gets 401")
check(decisions() == before, "review_decisions is unchanged after the refused POSTs")

options = webdriver.ChromeOptions()
for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000"]:
    options.add_argument(flag)
options.binary_location = "/usr/bin/chromium"
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.set_page_load_timeout(30)
try:
    # Sign in with the token.
    driver.get(f"{args.url}/login?next=/review")
    driver.find_element(By.NAME, "steward").send_keys("Ann Steward")
    driver.find_element(By.NAME, "token").send_keys(args.token)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    find(By.ID, "items")
    check("signed in as Ann Steward" in driver.page_source, "signed in with the token")
    check("/review" in driver.current_url and driver.find_elements(By.ID, "items"), "the review list shows open items")
    check(driver.save_screenshot(f"{args.shots}/review-page.png"), "screenshot of the review list")

    # The item side by side; decide `different`; the preview shows the effect before anything is saved.
    driver.get(f"{args.url}/review/items/{item}")
    check(len(driver.find_elements(By.CSS_SELECTOR, "table.records thead th")) >= 3, "the item shows both records side by side")
    check(driver.save_screenshot(f"{args.shots}/review-item.png"), "screenshot of the item")
    driver.find_element(By.CSS_SELECTOR, "button[name=kind][value=different]").click()
    effect = find(By.ID, "effect").text
    check(bool(effect), f"the preview says what the decision does: {effect}")
    check(decisions() == before, "the preview saved nothing")
    driver.find_element(By.CSS_SELECTOR, "button.primary").click()
    try:
        WebDriverWait(driver, 30).until(expected_conditions.url_contains("decided="))
    except Exception:
        fail(f"saving did not come back to the item: {driver.current_url}\n{driver.page_source[:3000]}")
    notice = find(By.CSS_SELECTOR, "p.notice").text
    check("saved" in notice and "takes effect in the next run" in notice, f"the item page says: {notice}")
    saved = sql("SELECT kind, decided_by FROM review_decisions WHERE undone_at IS NULL")
    check(saved == [["different", "Ann Steward"]], f"one active decision, different, by Ann Steward: {saved}")
    check(golden(a_source, a_id) == golden(b_source, b_id), "the records stay together until the next run")

    # Run now, and wait for the run.
    driver.get(f"{args.url}/review")
    driver.find_element(By.XPATH, "//form[@action='/runs']//button").click()
    run_id = find(By.ID, "run-id").text
    deadline = time.time() + args.run_timeout
    state = driver.find_element(By.ID, "run-state").text
    while state == "running" and time.time() < deadline:
        time.sleep(1)
        driver.refresh()
        state = find(By.ID, "run-state").text
    check(state == "done", f"run {run_id} submitted from the page ended done (it is {state})")

    # The decision honoured: two accounts now, in the database and on the decisions page.
    after_a, after_b = golden(a_source, a_id), golden(b_source, b_id)
    check(after_a is not None and after_b is not None and after_a != after_b,
          f"after run {run_id}, {a_source}/{a_id} is in account {after_a} and {b_source}/{b_id} in {after_b}")
    driver.get(f"{args.url}/review/decisions")
    page = driver.page_source
    check(f"account {after_a}" in page and f"account {after_b}" in page, "the decisions page shows both accounts")

    # And the same POST without the token still changes nothing.
    before = decisions()
    check(post_without_token(f"/review/items/{item}/decide", form) == 401, "the same POST without the token gets 401")
    check(decisions() == before, "review_decisions is unchanged")
finally:
    driver.quit()
print("review page check passed")
