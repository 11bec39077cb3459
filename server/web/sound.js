// A sound and a vibration per outcome, so the door staff know without looking: two
// rising notes to admit, two flat notes for a ticket already used, a low buzz to reject,
// a rising note then the buzz when only some of a code's seats may pass, and three quick
// falling notes when the scan could not be checked at all.

const TONES = {
  admit: [[880, 0, 0.12, 'sine'], [1320, 0.13, 0.18, 'sine']],
  already: [[622, 0, 0.16, 'triangle'], [622, 0.24, 0.16, 'triangle']],
  reject: [[196, 0, 0.5, 'square']],
  partial: [[880, 0, 0.14, 'sine'], [196, 0.2, 0.35, 'square']],
  unchecked: [[988, 0, 0.09, 'sawtooth'], [740, 0.12, 0.09, 'sawtooth'], [494, 0.24, 0.16, 'sawtooth']],
};
const VIBRATION = {admit: [90], already: [90, 90, 90], reject: [350, 120, 350], partial: [90, 150, 350],
  unchecked: [40, 60, 40, 60, 40, 60, 40]};

let audio = null;

// unlockAudio makes the audio context during a user's gesture, as browsers require.
export function unlockAudio() {
  try {
    if (!audio) audio = new (window.AudioContext || window.webkitAudioContext)();
    if (audio.state === 'suspended') audio.resume();
  } catch (e) {
    audio = null;
  }
}

// playOutcome beeps and vibrates for one outcome: admit, already, reject, partial or
// unchecked.
export function playOutcome(outcome) {
  if (navigator.vibrate) navigator.vibrate(VIBRATION[outcome] || 0);
  if (!audio) return;
  const t0 = audio.currentTime + 0.01;
  for (const [freq, at, len, type] of TONES[outcome] || []) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = type;
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, t0 + at);
    gain.gain.exponentialRampToValueAtTime(type === 'square' || type === 'sawtooth' ? 0.12 : 0.3, t0 + at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + at + len);
    osc.connect(gain).connect(audio.destination);
    osc.start(t0 + at);
    osc.stop(t0 + at + len + 0.02);
  }
}
