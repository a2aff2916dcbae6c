import type { ComponentChildren } from "preact";
import { useRef } from "preact/hooks";
import { type AdminKey, useAdminText } from "./text";

export interface Tab {
  id: string;
  label: AdminKey;
}

/**
 * WAI-ARIA tabs: one Tab stop for the list, arrow keys (and Home/End) move between tabs and select
 * them, then Tab goes into the panel.
 */
export function Tabs({
  tabs,
  current,
  onSelect,
  label,
  children,
}: {
  tabs: Tab[];
  current: string;
  /** False when the page keeps its tab (the focus then stays where it is). */
  onSelect: (id: string) => boolean | undefined;
  label: string;
  children: ComponentChildren;
}) {
  const { ta } = useAdminText();
  const list = useRef<HTMLDivElement>(null);
  const move = (e: KeyboardEvent) => {
    const at = tabs.findIndex((tab) => tab.id === current);
    const next = {
      ArrowRight: at + 1,
      ArrowLeft: at - 1,
      Home: 0,
      End: tabs.length - 1,
    }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const tab = tabs[(next + tabs.length) % tabs.length];
    if (!tab) return;
    // Not moved when the page kept its tab (a form with typed changes, and the admin said stay).
    if (onSelect(tab.id) === false) return;
    list.current?.querySelector<HTMLButtonElement>(`#tab-${tab.id}`)?.focus();
  };
  return (
    <>
      <div role="tablist" aria-label={label} class="tabs" ref={list} onKeyDown={move}>
        {tabs.map((tab) => (
          <button
            key={tab.id}
            type="button"
            role="tab"
            id={`tab-${tab.id}`}
            aria-selected={tab.id === current}
            aria-controls={tab.id === current ? `panel-${tab.id}` : undefined}
            tabIndex={tab.id === current ? 0 : -1}
            onClick={() => onSelect(tab.id)}
          >
            {ta(tab.label)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${current}`} aria-labelledby={`tab-${current}`} class="tab-panel">
        {children}
      </div>
    </>
  );
}
