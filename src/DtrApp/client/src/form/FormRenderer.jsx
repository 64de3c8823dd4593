// The Smart Forms renderer as a part of this page rather than a page of its own. Three things it
// does by default would otherwise break the page's structure for assistive technology (and axe):
// - it repeats the questionnaire's title as an h1, under the page's h1 that already names it;
// - it tags top-level group headings h1 (nested ones h2, h3, …), as if each group began a page;
// - MUI appends the popups (a choice's list of answers, tooltips) to <body>, outside every
//   landmark, so a screen reader's landmark navigation never reaches them (axe's "region").
import React, { useEffect, useRef } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { ThemeProvider } from '@mui/material/styles';
import { BaseRenderer, RendererThemeProvider, rendererConfigStore } from '@aehrc/smart-forms-renderer';

// The page's h1 names the questionnaire already. Set before the renderer first draws, so the
// title never flashes in twice.
rendererConfigStore.getState().setRendererConfig({ hideQuestionnaireTitle: true });

/** Where every popup of the form is mounted: the page's main landmark (it has no overflow clipping). */
const popupContainer = () => document.getElementById('main');

// The renderer's theme, with MUI's popups mounted inside the main landmark. Popper serves
// Autocomplete and Tooltip; Popover serves Select menus. Both take `container` from the theme
// because the renderer never passes one.
function withPopupsInMain(rendererTheme) {
  const components = rendererTheme.components || {};
  const inMain = name => ({ ...components[name], defaultProps: { ...components[name]?.defaultProps, container: popupContainer } });
  return { ...rendererTheme, components: { ...components, MuiPopper: inMain('MuiPopper'), MuiPopover: inMain('MuiPopover') } };
}

export function FormRenderer({ queryClient }) {
  const root = useRef(null);

  // The renderer's heading tags cannot be chosen (it passes them to MUI explicitly), so each one is
  // announced one level deeper than its tag: the top-level groups become level 2 under the page's
  // h1. Groups appear and disappear as answers change (enableWhen), hence the observer.
  useEffect(() => {
    const demote = () => {
      for (const heading of root.current.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
        const level = String(Number(heading.tagName[1]) + 1);
        if (heading.getAttribute('aria-level') !== level) heading.setAttribute('aria-level', level);
      }
    };
    demote();
    const observer = new MutationObserver(demote);
    observer.observe(root.current, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, []);

  return (
    <div ref={root}>
      <RendererThemeProvider>
        <ThemeProvider theme={withPopupsInMain}>
          <QueryClientProvider client={queryClient}>
            <BaseRenderer />
          </QueryClientProvider>
        </ThemeProvider>
      </RendererThemeProvider>
    </div>
  );
}
