import { useEffect, useState } from "preact/hooks";

/**
 * A flagged photo as the moderators see it, hidden or not: its bytes fetched with the admin's
 * token (an image tag cannot send it) from the moderators' own route, shown from memory, and
 * opened full size from there.
 */
export function StaffPhoto({ token, id, alt }: { token: string; id: string; alt: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let made: string | null = null;
    let gone = false;
    void fetch(`/api/admin/moderation/photos/${encodeURIComponent(id)}`, {
      headers: { authorization: `Bearer ${token}` },
    })
      .then((res) => (res.ok ? res.blob() : null))
      .then((blob) => {
        if (!blob || gone) return;
        made = URL.createObjectURL(blob);
        setUrl(made);
      })
      .catch(() => {});
    return () => {
      gone = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [token, id]);
  if (!url) return null;
  return (
    <a href={url} target="_blank" rel="noopener">
      <img src={url} alt={alt} width={120} data-staff-photo={id} />
    </a>
  );
}
