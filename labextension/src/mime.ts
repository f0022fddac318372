import { IRenderMime } from '@jupyterlab/rendermime-interfaces';

import { JOBS_MIME_TYPE } from './protocol';
import { rendererFactory } from './renderer';

const extension: IRenderMime.IExtension = {
  id: 'sparklet-labextension:jobs-renderer',
  description: "Renders the Sparklet kernel's live job display in cells.",
  rendererFactory,
  // ahead of text/html (rank 50): the bundle's HTML form is the fallback for other frontends
  rank: 10,
  dataType: 'json'
};

export default extension;
export { JOBS_MIME_TYPE };
