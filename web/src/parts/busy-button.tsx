import type { ButtonHTMLAttributes, ComponentChildren } from "preact";

type Props = Omit<ButtonHTMLAttributes<HTMLButtonElement>, "disabled"> & {
  /** Its work is running: pressing it (or Enter in its form) does nothing until it ends. */
  busy: boolean;
  children: ComponentChildren;
};

/**
 * A button that keeps the keyboard's focus while its work runs. `disabled` would drop the focus
 * to the page's top, so after a failure the next Tab went on from there, far from the form and
 * its message; `aria-disabled` says the same to a screen reader and keeps the button where it is.
 */
export function BusyButton({ busy, onClick, children, ...rest }: Props) {
  return (
    <button
      {...rest}
      aria-disabled={busy || undefined}
      onClick={(e) => {
        // Cancelling the click also cancels a submit button's (and Enter's) submission.
        if (busy) return e.preventDefault();
        onClick?.(e);
      }}
    >
      {children}
    </button>
  );
}
