import { which } from 'cond-pkg';
import sub from 'cond-pkg/sub';
import { feature } from 'cond-pkg/features/alpha';
import plain from 'plain-pkg';
import { scoped } from '@scope/esm-pkg';
export const run = () => [which, sub, feature, plain, scoped];
