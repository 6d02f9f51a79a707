// The write key: asked for when a page first writes (a small dialog), kept in
// this tab's sessionStorage only (never localStorage, a cookie or the URL:
// closing the tab forgets it), sent by api.post to this origin only.
// Without one the explorer reads, and says how to get one.
import { ApiError } from "./api.js";
import { h } from "./dom.js";

const STORAGE = "onrecord.write-key";
const listeners = new Set();

/** The tab's write key, or null. */
export function writeKey() {
  try {
    return window.sessionStorage.getItem(STORAGE);
  } catch {
    return null; // storage disabled: the explorer stays read-only
  }
}

function changed() {
  const key = writeKey();
  document.documentElement.dataset.writeKey = key ? "set" : "none";
  for (const listener of listeners) listener(key);
}

function keep(key) {
  window.sessionStorage.setItem(STORAGE, key);
  changed();
}

export function forgetWriteKey() {
  try {
    window.sessionStorage.removeItem(STORAGE);
  } finally {
    changed();
  }
}

/** Call ``listener(key or null)`` whenever the key is kept or forgotten. */
export function onWriteKeyChange(listener) {
  listeners.add(listener);
}

/** A command as code, wrapping between its words, never inside an option. */
function command(...words) {
  return h("code", { class: "command" }, words.map((word, index) => [
    index ? " " : "", h("span", { class: "word" }, word)]));
}

/** How to get a key, for the dialog and the pages that write. */
export function howToGetAKey() {
  return [
    "Ask whoever runs this OnRecord for one, or make one on the server: ",
    command("onrecord", "keys", "create", "--name you", "--scope write"),
    " (", command("onrecord", "serve", "--demo"), " prints one when it starts).",
  ];
}

/** The key's public part ("onr_1a2b3c4d5e6f_…"): enough to tell keys apart, never the secret. */
function shownKey(key) {
  const match = /^([A-Za-z]+_[0-9a-f]+)_/.exec(key);
  return match ? `${match[1]}_…` : "a key";
}

// ---------------------------------------------------------------- the dialog

let dialog = null;

function buildDialog() {
  const input = h("input", {
    id: "write-key-input", name: "key", type: "password", autocomplete: "off", spellcheck: "false",
    autocapitalize: "off", "aria-describedby": "write-key-error",
  });
  const error = h("p", { id: "write-key-error", class: "key-error", role: "alert" });
  const reason = h("p", { class: "key-reason" });
  const current = h("p", { class: "key-current" });
  const save = h("button", { type: "submit", class: "primary-button" }, "Keep for this tab");
  const forget = h("button", { type: "button", class: "secondary-button" }, "Forget the key");
  const cancel = h("button", { type: "button", class: "secondary-button" }, "Cancel");
  const form = h("form", { method: "dialog" },
    h("h2", { id: "write-key-title" }, "Write key"),
    reason,
    h("p", { id: "write-key-about" },
      "Reading needs no key. Changing the record, such as merging two actors, needs a write key. "
      + "This tab keeps it (in its session storage) until you close the tab or forget it, and sends it "
      + "to this server only, ",
      h("span", { class: "origin" }, window.location.origin), ", never to another site."),
    h("p", null, howToGetAKey()),
    current,
    h("label", { for: "write-key-input" }, "Write key"),
    input,
    error,
    h("div", { class: "dialog-buttons" }, save, forget, cancel));
  const element = h("dialog", {
    id: "write-key-dialog", class: "key-dialog", "aria-labelledby": "write-key-title",
    "aria-describedby": "write-key-about",
  }, form);
  document.body.append(element);
  return { element, form, input, error, reason, current, forget, cancel };
}

/**
 * Open the dialog (``reason``: what asks for the key, e.g. "Merging needs a
 * write key."). Resolves with the key kept, or null when the reader cancels
 * or forgets the key. Focus goes back where it was.
 */
export function askForWriteKey({ reason = null } = {}) {
  dialog ||= buildDialog();
  const { element, form, input, error, current, forget, cancel } = dialog;
  const opener = document.activeElement;
  const key = writeKey();
  dialog.reason.textContent = reason || "";
  dialog.reason.hidden = !reason;
  current.textContent = key ? `This tab keeps a key: ${shownKey(key)}. Enter another to replace it.` : "";
  current.hidden = !key;
  forget.hidden = !key;
  input.value = "";
  error.textContent = "";
  input.removeAttribute("aria-invalid");
  return new Promise((resolve) => {
    let answer = null;
    const finish = () => {
      form.removeEventListener("submit", onSubmit);
      forget.removeEventListener("click", onForget);
      cancel.removeEventListener("click", onCancel);
      element.removeEventListener("close", finish);
      if (opener?.isConnected) opener.focus();
      resolve(answer);
    };
    const onSubmit = (event) => {
      event.preventDefault();
      const typed = input.value.trim();
      // Visible ASCII only: anything else cannot be sent in a header (and is no key).
      if (!/^[\x21-\x7e]{8,512}$/.test(typed)) {
        error.textContent = typed
          ? "That is not a key: a key is one word of letters, digits, _ and -."
          : "Enter the key, or Cancel.";
        input.setAttribute("aria-invalid", "true");
        input.focus();
        return;
      }
      keep(typed);
      answer = typed;
      element.close();
    };
    const onForget = () => {
      forgetWriteKey();
      element.close();
    };
    const onCancel = () => element.close();
    form.addEventListener("submit", onSubmit);
    forget.addEventListener("click", onForget);
    cancel.addEventListener("click", onCancel);
    element.addEventListener("close", finish);
    element.showModal();
    input.focus();
  });
}

/** The tab's key, asking for one first when there is none (null if the reader would not give one). */
export async function ensureWriteKey(reason) {
  return writeKey() || askForWriteKey({ reason });
}

/**
 * A refused write in words. 401: the key is not one the server knows (it is
 * forgotten, so the next write asks again); 403: the key may not write; else
 * the problem's own detail.
 */
export function writeProblem(error) {
  if (!(error instanceof ApiError)) return `The write could not be sent: ${error.message}. Nothing was changed.`;
  if (error.status === 401) {
    forgetWriteKey();
    return "The server did not accept the write key (unknown, revoked or mistyped), so nothing was "
      + "changed. This tab has forgotten it: the next write asks for another.";
  }
  if (error.status === 403) {
    return "This key may read but not write, so nothing was changed. Writing needs a key made with "
      + "--scope write.";
  }
  return `${error.message}${/[.!?]$/.test(error.message) ? "" : "."} Nothing was changed.`;
}

/** The header's button: says whether this tab can write, and opens the dialog. */
export function writeKeyButton() {
  const state = h("span", { class: "key-state" });
  const button = h("button", {
    type: "button", class: "key-button", id: "write-key-button", "aria-haspopup": "dialog",
  }, state);
  const show = (key) => {
    state.textContent = key ? "Write key set" : "Read-only";
    button.title = key
      ? "This tab keeps a write key: see it or forget it"
      : "Reading only: enter a write key to curate";
  };
  button.addEventListener("click", () => askForWriteKey());
  onWriteKeyChange(show);
  show(writeKey());
  changed();
  return button;
}
