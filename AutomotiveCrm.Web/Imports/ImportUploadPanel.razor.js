// Sends the chosen file to POST /imports/upload with XMLHttpRequest (fetch cannot report upload progress), as
// multipart/form-data with the text fields first and the file last, and the antiforgery token in a header so the
// server never has to buffer the body to find it. Progress goes to the component at most five times a second.

export function fileInfo(input) {
    const file = input && input.files && input.files[0];
    return file ? { name: file.name, size: file.size } : null;
}

export function upload(input, url, fields, token, component) {
    const file = input && input.files && input.files[0];
    if (!file) {
        return Promise.resolve({ status: 0, body: JSON.stringify({ error: "Choose a file first." }) });
    }

    return new Promise(resolve => {
        const form = new FormData();
        for (const [name, value] of Object.entries(fields || {})) {
            form.append(name, value ?? "");
        }
        form.append("file", file, file.name);

        const request = new XMLHttpRequest();
        request.open("POST", url);
        request.setRequestHeader("RequestVerificationToken", token || "");
        let last = 0;
        request.upload.onprogress = e => {
            const now = Date.now();
            if (now - last >= 200 || e.loaded === e.total) {
                last = now;
                component.invokeMethodAsync("OnUploadProgress", e.loaded, e.lengthComputable ? e.total : file.size);
            }
        };
        request.onload = () => resolve({ status: request.status, body: request.responseText });
        request.onerror = () => resolve({ status: 0, body: JSON.stringify({ error: "The upload failed: the connection to the server was lost." }) });
        request.onabort = () => resolve({ status: 0, body: JSON.stringify({ error: "The upload was cancelled." }) });
        request.send(form);
    });
}
