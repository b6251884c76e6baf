// The e-mail editor's browser side: quill 2 (served from wwwroot/lib/quill, never a CDN), loaded on first use.
// The component owns the truth; this module shows it, reports what the user changes (debounced), and inserts
// merge fields and images where the cursor was. Quill's getSemanticHTML writes &nbsp; for every space: normalised here.

const editors = new Map();
let loading = null;

function loadQuill() {
    if (window.Quill) {
        return Promise.resolve();
    }
    if (!loading) {
        loading = new Promise((resolve, reject) => {
            if (!document.querySelector("link[data-quill]")) {
                const css = document.createElement("link");
                css.rel = "stylesheet";
                css.href = "lib/quill/quill.snow.css";
                css.dataset.quill = "true";
                document.head.appendChild(css);
            }
            const script = document.createElement("script");
            script.src = "lib/quill/quill.js";
            script.onload = () => resolve();
            script.onerror = () => { loading = null; reject(new Error("The editor (lib/quill/quill.js) could not be loaded.")); };
            document.head.appendChild(script);
        });
    }
    return loading;
}

// Spaces quill turned into &nbsp; become spaces again; one stays where it separates two spaces.
export function normaliseSpaces(html) {
    return html.replace(/(?:&nbsp;|\u00a0)+/g, run => {
        const count = (run.match(/&nbsp;|\u00a0/g) || []).length;
        let out = "";
        for (let i = 0; i < count; i++) {
            out += i % 2 === 0 ? " " : "&nbsp;";
        }
        return out;
    });
}

function htmlOf(quill) {
    if (quill.getLength() <= 1 && !quill.root.querySelector("img")) {
        return "";
    }
    return normaliseSpaces(quill.getSemanticHTML());
}

export async function create(id, element, html, component) {
    await loadQuill();
    const quill = new window.Quill(element, {
        theme: "snow",
        modules: {
            toolbar: [
                [{ header: [1, 2, 3, false] }],
                ["bold", "italic", "underline", "strike"],
                [{ color: [] }, { background: [] }],
                [{ align: [] }],
                [{ list: "ordered" }, { list: "bullet" }],
                ["link", "blockquote"],
                ["clean"],
            ],
        },
    });
    const state = { quill, component, range: null, timer: null };
    editors.set(id, state);
    setContent(quill, html);
    quill.on("selection-change", range => { if (range) { state.range = range; } });
    quill.on("text-change", (delta, old, source) => {
        state.range = quill.getSelection() ?? state.range;
        if (source !== "user") {
            return;
        }
        clearTimeout(state.timer);
        state.timer = setTimeout(() => report(state), 250);
    });
    return true;
}

function report(state) {
    state.timer = null;
    return state.component.invokeMethodAsync("OnVisualChanged", htmlOf(state.quill));
}

function setContent(quill, html) {
    const delta = quill.clipboard.convert({ html: html || "" });
    quill.setContents(delta, "silent");
    quill.history.clear();
}

export function setHtml(id, html) {
    const state = editors.get(id);
    if (state) {
        setContent(state.quill, html);
    }
}

// Sends a change still waiting for its debounce at once (before a save or a view switch).
export async function flush(id) {
    const state = editors.get(id);
    if (state && state.timer) {
        clearTimeout(state.timer);
        await report(state);
    }
}

export async function insertText(id, text) {
    const state = editors.get(id);
    if (!state) {
        return;
    }
    const quill = state.quill;
    const at = state.range ? state.range.index : Math.max(0, quill.getLength() - 1);
    quill.insertText(at, text, "user");
    quill.setSelection(at + text.length, 0, "user");
}

export async function insertImage(id, url, alt) {
    const state = editors.get(id);
    if (!state) {
        return;
    }
    const quill = state.quill;
    const at = state.range ? state.range.index : Math.max(0, quill.getLength() - 1);
    quill.insertEmbed(at, "image", url, "user");
    quill.setSelection(at + 1, 0, "user");
}

// Inserts text at the cursor of a textarea (the HTML source view, the SMS text) and returns the new value.
export function insertAtCursor(selector, text) {
    const area = document.querySelector(selector);
    if (!area) {
        return null;
    }
    const start = area.selectionStart ?? area.value.length;
    const end = area.selectionEnd ?? start;
    area.value = area.value.slice(0, start) + text + area.value.slice(end);
    area.selectionStart = area.selectionEnd = start + text.length;
    area.focus();
    return area.value;
}

export function dispose(id) {
    const state = editors.get(id);
    if (state) {
        clearTimeout(state.timer);
        editors.delete(id);
    }
}
