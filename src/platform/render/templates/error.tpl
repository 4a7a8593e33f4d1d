{{%AUTOESCAPE context="HTML"}}<h1>{{HEADING}}</h1>
<p>{{MESSAGE}}</p>
<p><a href="/">{{t_error__back_home}}</a></p>
