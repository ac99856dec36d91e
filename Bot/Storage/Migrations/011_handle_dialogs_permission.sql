-- Serving clients became a permission of its own (handle_dialogs); every operator made before it could serve clients.
UPDATE operators SET permissions = CASE WHEN permissions = '' THEN 'handle_dialogs' ELSE 'handle_dialogs,' || permissions END;
