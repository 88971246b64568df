// `npm run migrate`: apply pending migrations to DATABASE_URL (the compose `migrate` service runs this).
import { loadConfig } from '../config';
import { migrate } from '../db/migrate';

migrate(loadConfig().DATABASE_URL, (msg) => console.log(msg)).then(
  () => console.log('migrations applied'),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
