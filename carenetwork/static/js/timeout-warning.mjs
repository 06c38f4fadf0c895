// The session timeout warning (GOV.UK / HMRC "timeout warning" pattern, WCAG 2.2.1 Timing adjustable).
// base.html renders a <dialog data-module="app-timeout-warning"> for signed-in people, with the seconds the
// session has left. Before it ends this opens the dialog, counts down (a screen reader hears the time left
// every 15 seconds, not every second), and lets the person stay signed in (a request that restarts the
// server's idle clock) or sign out. Without JavaScript nothing shows and the session simply times out.

const TICK_MS = 1000;
const ANNOUNCE_EVERY_SECONDS = 15;

function timeLeft(seconds, words) {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const parts = [];
  if (minutes > 0) parts.push(`${minutes} ${minutes === 1 ? words.minute : words.minutes}`);
  if (rest > 0 || minutes === 0) parts.push(`${rest} ${rest === 1 ? words.second : words.seconds}`);
  return parts.join(" ");
}

export function initTimeoutWarning(dialog) {
  if (!dialog || typeof dialog.showModal !== "function") return;
  const data = dialog.dataset;
  const warnBefore = Number(data.warnBefore);
  const words = { minute: data.wordMinute, minutes: data.wordMinutes, second: data.wordSecond, seconds: data.wordSeconds };
  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const announcement = dialog.querySelector("[data-timeout-announcement]");
  const stayButton = dialog.querySelector("[data-timeout-stay]");
  const csrfToken = dialog.querySelector("input[name=csrfmiddlewaretoken]").value;
  // A margin so the server's clock has run out too when the page moves on.
  const MARGIN_SECONDS = 2;
  let deadline = Date.now() + Number(data.expiresIn) * 1000;
  let lastAnnounced = null;
  let timer = null;

  function secondsLeft() {
    return Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
  }

  function signedOut() {
    window.clearInterval(timer);
    window.location.assign(data.signedOutUrl);
  }

  function render(seconds) {
    const text = timeLeft(seconds, words);
    countdown.textContent = text;
    if (lastAnnounced === null || lastAnnounced - seconds >= ANNOUNCE_EVERY_SECONDS) {
      announcement.textContent = `${data.announcementPrefix} ${text}.`;
      lastAnnounced = seconds;
    }
  }

  function tick() {
    const seconds = secondsLeft();
    if (seconds <= 0 && Date.now() >= deadline + MARGIN_SECONDS * 1000) {
      signedOut();
      return;
    }
    if (seconds <= warnBefore) {
      if (!dialog.open) {
        lastAnnounced = null;
        render(seconds);
        dialog.showModal();
      } else {
        render(seconds);
      }
    }
  }

  async function staySignedIn() {
    stayButton.disabled = true;
    try {
      const response = await fetch(data.keepAliveUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken, Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) {
        signedOut();
        return;
      }
      const body = await response.json();
      deadline = Date.now() + body.expires_in * 1000;
      dialog.close();
    } catch {
      // The network failed: keep the dialog open so the person can try again.
    } finally {
      stayButton.disabled = false;
    }
  }

  stayButton.addEventListener("click", staySignedIn);
  // Escape means "not now", as in the HMRC pattern: stay signed in rather than silently dismissing.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    staySignedIn();
  });
  timer = window.setInterval(tick, TICK_MS);
  tick();
}
