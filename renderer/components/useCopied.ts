import { useEffect, useState } from 'react';

/** A "Copied" flag that clears itself after `ms`. @example const [copied, setCopied] = useCopied(); */
export function useCopied(ms = 1500): [boolean, (v: boolean) => void] {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(false), ms);
    return () => clearTimeout(t);
  }, [copied, ms]);
  return [copied, setCopied];
}
