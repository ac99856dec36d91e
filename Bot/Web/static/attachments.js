// Attachments of an activity: pictures inline (opening full size on click), other files as download links.
// Only http(s) links are rendered; anything else (javascript:, data:) is dropped.
function safeUrl(url) {
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch { return null; }
}

export function renderAttachments(attachments) {
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
    if ((attachment.contentType || '').startsWith('image/')) {
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
