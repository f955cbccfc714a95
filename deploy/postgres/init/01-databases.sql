-- Run once by the postgres image on an empty data volume (/docker-entrypoint-initdb.d),
-- as POSTGRES_USER. One database per service: no service reads another's database.
CREATE DATABASE applicants ENCODING 'UTF8' TEMPLATE template0;
CREATE DATABASE budget ENCODING 'UTF8' TEMPLATE template0;
CREATE DATABASE markets ENCODING 'UTF8' TEMPLATE template0;
CREATE DATABASE notifications ENCODING 'UTF8' TEMPLATE template0;
-- People's accounts, read only by the sign-in app (services/common/signin.py).
CREATE DATABASE accounts ENCODING 'UTF8' TEMPLATE template0;
