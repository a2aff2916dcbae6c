import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { MAX_REPORT_PHOTOS } from "../../../src/domain/report-limits";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { looksLikePicture } from "../lib/photo-shrink";

const MAX_PHOTOS = MAX_REPORT_PHOTOS;

/** Up to three photos with previews, each removable; only JPEG, PNG and WebP are taken. */
export function PhotoPicker(props: {
  photos: File[];
  onChange: (files: File[]) => void;
  onProblem: (key: MessageKey | null) => void;
  accepted: string[];
  describedBy: string | undefined;
  /** The help under the label; residents' phones shrink photos, which the default says. */
  help?: string;
}) {
  const { photos, onChange, onProblem, accepted, describedBy, help } = props;
  const { t } = useI18n();
  // In the same render as the photos, so a removal redraws the list once; one address per photo
  // for as long as it is chosen, so the others' thumbnails stay as they are.
  const urls = useRef(new Map<File, string>());
  const previews = useMemo(
    () =>
      photos.map((f) => {
        const kept = urls.current.get(f) ?? URL.createObjectURL(f);
        urls.current.set(f, kept);
        return kept;
      }),
    [photos],
  );
  useEffect(() => {
    for (const [f, u] of urls.current)
      if (!photos.includes(f)) {
        URL.revokeObjectURL(u);
        urls.current.delete(f);
      }
  }, [photos]);
  useEffect(
    () => () => {
      for (const u of urls.current.values()) URL.revokeObjectURL(u);
    },
    [],
  );

  // A removed photo's button goes with it: the keyboard goes on at the next photo's, else the field,
  // before anything else is drawn or typed (a second Enter at once removes the next photo, not nothing).
  const box = useRef<HTMLDivElement>(null);
  const [removed, setRemoved] = useState<{ at: number; left: File[] } | null>(null);
  useLayoutEffect(() => {
    // Once the photos drawn are those left (the parent's render may come apart from this one).
    if (
      removed === null ||
      photos.length !== removed.left.length ||
      photos.some((f, i) => f !== removed.left[i])
    )
      return;
    const buttons = box.current?.querySelectorAll<HTMLElement>(".thumbs button") ?? [];
    (
      buttons[Math.min(removed.at, buttons.length - 1)] ?? box.current?.querySelector<HTMLElement>("#photos")
    )?.focus();
    setRemoved(null);
  }, [removed, photos]);
  const remove = (i: number) => {
    const left = photos.filter((_, j) => j !== i);
    onChange(left);
    setRemoved({ at: i, left });
  };

  const current = useRef(photos);
  current.current = photos;
  const add = async (list: FileList | null) => {
    const files = Array.from(list ?? []);
    const typed = files.filter((f) => accepted.includes(f.type));
    // A file named .jpg that holds no picture is said now, not only when the report is sent.
    const pictures = await Promise.all(typed.map(looksLikePicture));
    const good = typed.filter((_, i) => pictures[i]);
    // The photos as they are now: another choice or a removal may have come while these were read.
    const photos = current.current;
    const next = [...photos, ...good].slice(0, MAX_PHOTOS);
    onProblem(
      typed.length < files.length
        ? "photoType"
        : good.length < typed.length
          ? "photoNotPicture"
          : photos.length + good.length > MAX_PHOTOS
            ? "photoTooMany"
            : null,
    );
    current.current = next;
    onChange(next);
  };

  return (
    <div class="photos" ref={box}>
      <label for="photos">{t("formPhotos")}</label>
      <p class="hint" id="photos-help">
        {help ?? t("formPhotosHelp")}
      </p>
      <input
        id="photos"
        name="photos"
        type="file"
        accept={accepted.join(",")}
        multiple
        disabled={photos.length >= MAX_PHOTOS}
        aria-describedby={[describedBy, "photos-help", photos.length > 0 ? "photos-chosen" : ""]
          .filter(Boolean)
          .join(" ")}
        aria-invalid={describedBy ? true : undefined}
        onChange={(e) => {
          // The files are read before the field is emptied (`add` copies the list at once).
          void add(e.currentTarget.files);
          e.currentTarget.value = "";
        }}
      />
      {/* The field itself is emptied after each choice (so the same photo can be chosen again): say what was chosen. */}
      {photos.length > 0 && (
        <p class="hint chosen-files" id="photos-chosen">
          {t("photosChosen", { names: photos.map((f) => f.name).join(t("listSeparator")) })}
        </p>
      )}
      {previews.length > 0 && (
        <ul class="thumbs">
          {previews.map((src, i) => (
            <li key={src}>
              <img src={src} alt={t("photoAlt", { n: i + 1 })} width={96} height={96} />
              <button type="button" onClick={() => remove(i)}>
                {t("removePhoto", { n: i + 1 })}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
