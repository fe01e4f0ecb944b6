// "Copy the message": put the draft on the clipboard so the counsellor pastes it on the platform.
// A static file, as the Content-Security-Policy allows no inline script; without it the button does nothing
// and the text can still be selected and copied by hand.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copyTarget);
  if (!source) return;
  try {
    await navigator.clipboard.writeText(source.value ?? source.textContent);
  } catch {
    source.select();
    document.execCommand("copy");
  }
  button.textContent = button.dataset.copied;
});
