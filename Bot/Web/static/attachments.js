// Attachments of an activity: pictures inline (opening full size on click), other files as download links.
// Only http(s) links are rendered; anything else (javascript:, data:) is dropped.
function safeUrl(url) {
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch { return null; }
}

// The engine's own stored files: /files/{id}/{name} on this origin.
function isOwnFile(url) {
  const parsed = new URL(url);
  return parsed.origin === location.origin && parsed.pathname.startsWith('/files/');
}

// externalImageLabel: when given, a picture from anywhere but the engine's file store is not fetched until the
// reader clicks (a client's link must not be able to track the operator); the label reads "show picture from {host}".
export function renderAttachments(attachments, externalImageLabel = null) {
  const box = document.createElement('div');
  box.className = 'attachments';
  for (const attachment of attachments || []) {
    const url = attachment.contentUrl && safeUrl(attachment.contentUrl);
    if (!url) continue;
    const name = attachment.name || url.split('/').pop();
    const link = document.createElement('a');
    link.href = url;
    link.target = '_blank';
    link.rel = 'noopener';
    if ((attachment.contentType || '').startsWith('image/') && externalImageLabel && !isOwnFile(url)) {
      const reveal = document.createElement('button');
      reveal.type = 'button';
      reveal.className = 'secondary external-image';
      reveal.textContent = externalImageLabel.replace('{host}', new URL(url).host);
      reveal.addEventListener('click', () => {
        const image = document.createElement('img');
        image.src = url;
        image.alt = name;
        link.appendChild(image);
        reveal.remove();
      });
      box.appendChild(reveal);
    } else if ((attachment.contentType || '').startsWith('image/')) {
      const image = document.createElement('img');
      image.src = url;
      image.alt = name;
      image.loading = 'lazy';
      link.appendChild(image);
    } else {
      link.className = 'file';
      link.download = name;
      link.textContent = name;
    }
    box.appendChild(link);
  }
  return box.childElementCount ? box : null;
}
