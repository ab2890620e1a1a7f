/** How a plugin's UI names itself in the sentences the shared views and messages write. */
export interface HostWords {
  /** The plugin's own page, where the in-page engine paints, as said in a sentence: 'the plugin', 'this panel'. */
  here: string;
  /** The engine choice that paints there: 'In plugin', 'In panel'. */
  inPageChoice: string;
  /** How to add a style here, finishing "Add a style: …". */
  addStyle: string;
  /** What `pastiche serve` needs before this host can reach it, if anything (Photopea's frame is another origin). */
  serveNote?: string;
}
